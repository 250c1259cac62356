"""bitextqa's Luigi tasks and command line: thin clients of :mod:`align`."""
