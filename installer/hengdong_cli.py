"""Entry script of the bundle's console executable `hengdong` (the CLI and `--selftest`)."""

from hengdong_desktop.entry import cli

if __name__ == "__main__":
    raise SystemExit(cli())
