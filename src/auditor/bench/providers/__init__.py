"""Model providers behind one small interface (interface.py); one module per API."""
