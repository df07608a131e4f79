"""The task engine: synthetic ARC tasks from programs over the battery's operations and the search's primitives."""
