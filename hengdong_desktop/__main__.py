"""`python -m hengdong_desktop` behaves like main.py."""

from hengdong_desktop.entry import main

raise SystemExit(main())
