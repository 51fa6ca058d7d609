"""The pages of the main window, one module each; `ui/navigation.py` lists them."""
