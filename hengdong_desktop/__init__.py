"""Hengdong Desktop: data entry and merging for Hengdong County's “百十亿” programme."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hengdong-desktop")
except PackageNotFoundError:  # running from a source tree or a frozen bundle without metadata
    __version__ = "0.1.0"

APP_NAME = "衡东县产业发展“百十亿”工程数据填报与汇总系统"
APP_SHORT_NAME = "百十亿数据填报"
ORG_NAME = "HengdongCounty"
APP_ID = "HengdongDesktop"
