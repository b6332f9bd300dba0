"""forcecheck's version, in a module of its own.

Renderers print it in what they write; importing it from here keeps them from importing the
package's public API (``forcecheck/__init__.py``), which sits above every layer.
"""

__version__ = "0.1.0"
