"""The Qt desktop interface: windows, pages, dialogs, table models and the task runner.
Widgets are thin: they call services with plain data and never hold a database session."""
