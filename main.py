"""Hengdong Desktop launcher: `python main.py` opens the app, `python main.py <command>` runs the CLI."""

from hengdong_desktop.entry import main

if __name__ == "__main__":
    raise SystemExit(main())
