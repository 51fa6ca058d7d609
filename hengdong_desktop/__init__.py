"""Hengdong Desktop: data entry and merging for Hengdong County's “百十亿” programme."""

APP_NAME = "衡东县产业发展“百十亿”工程数据填报与汇总系统"
APP_SHORT_NAME = "百十亿数据填报"
ORG_NAME = "HengdongCounty"
APP_ID = "HengdongDesktop"


def __getattr__(name: str) -> str:
    """`__version__`, the installed package's, read from its metadata when first asked: finding
    it (and importing importlib.metadata) would cost every start of the app a few hundredths of a
    second before its window."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("hengdong-desktop")
    except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
        found = "0.1.0"
    globals()["__version__"] = found
    return found
