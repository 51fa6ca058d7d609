"""Plausible demo data: Chinese enterprise and project names, valid credit codes, monthly and
yearly figures that mostly pass 审核, project status histories, and a few of the warnings clerks
really meet. Only ever into a training database (services/training.py).

Deterministic for a given seed and end period. Written in bulk (Core inserts) with one audit
row per created record, source “demo”. In a county database every generated month stands as
reported and accepted, so the training county's figures show what a real month would."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from hengdong_desktop.db import models as m
from hengdong_desktop.db.audit import rows_for_create
from hengdong_desktop.db.engine import Database
from hengdong_desktop.db.types import utcnow
from hengdong_desktop.domain import credit_code, periods
from hengdong_desktop.domain.reference import Reference
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import training
from hengdong_desktop.services.progress import Progress
from hengdong_desktop.services.reference import load
from hengdong_desktop.services.setup import read_info

_BRANDS = (
    "金瑞 宏达 华鑫 衡岳 湘衡 鑫源 振兴 永盛 恒通 瑞丰 天成 众和 博远 新世纪 湘江 洣水 南岳 康达 "
    "华泰 昌盛 兴隆 福源 金石 铭诚 佳美 东方 祥和 润丰 中联 长青 飞鸿 大业 鼎盛 荣昌 汇通 宏图 "
    "旺达 安泰 鸿运 新华 金桥 中天 富源 华宇 联创 凯达 锦程 泰和 嘉禾 山河"
).split()
_INDUSTRY_WORDS: dict[str | None, tuple[str, ...]] = {
    "机械制造": ("机械制造", "精密机械", "重工机械", "农机装备", "液压设备", "汽车零部件"),
    "有色金属": ("有色金属", "铜业", "锌业", "合金材料", "金属新材料"),
    "精细化工新材料": ("精细化工", "化工新材料", "新材料科技", "涂料化工", "生物化工"),
    "数字经济": ("信息技术", "数字科技", "电子科技", "软件", "智能科技"),
    "绿色食品生产加工": ("食品", "米业", "油脂", "茶业", "生态农业", "肉食品加工", "粮油"),
    "新型建筑建材": ("新型建材", "建材科技", "装配式建筑", "混凝土"),
    "土菜餐饮": ("餐饮管理", "土菜馆", "饮食文化", "餐饮服务"),
    "文旅康养": ("文化旅游", "康养产业", "旅游开发", "健康管理"),
    "现代供应链": ("供应链管理", "物流", "商贸", "仓储物流"),
    None: ("建筑工程", "商贸", "纺织", "包装材料", "电力工程", "医药"),
}
_DOMAIN_OF_OTHER = ("工业和信息化", "建筑业", "服务业", "农林牧渔")
_CHAIN_OF_INDUSTRY = {
    "机械制造": "机械制造",
    "有色金属": "有色金属",
    "精细化工新材料": "化工新材料",
    "新型建筑建材": "轻工建材",
    "绿色食品生产加工": "生态绿色食品",
}
_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
_SURNAMES = "王 李 张 刘 陈 杨 黄 赵 周 吴 谭 罗 邓 彭 曾 肖 唐 许 欧阳 阳 旷 文 谢 颜".split()
_GIVEN = "建国 志强 海军 国平 红梅 秀英 伟 敏 军 勇 丽华 建华 小平 卫东 新民 桂香 湘林 衡生 德明 春花".split()
_PROJECT_TEMPLATES = {
    "机械制造": ("年产{n}台（套）{w}装备生产线项目", "{w}智能制造产业园项目"),
    "有色金属": ("年产{n}万吨{w}精深加工项目", "{w}资源综合回收利用项目"),
    "精细化工新材料": ("年产{n}万吨{w}新材料项目", "{w}产业链延伸项目"),
    "数字经济": ("{w}数字产业园建设项目", "{w}大数据中心项目"),
    "绿色食品生产加工": ("年产{n}万吨{w}精深加工项目", "{w}标准化生产基地建设项目"),
    "新型建筑建材": ("年产{n}万立方米{w}项目", "{w}装配式建筑生产基地项目"),
    "土菜餐饮": ("衡东土菜{w}美食街区项目", "{w}中央厨房建设项目"),
    "文旅康养": ("{w}文旅康养综合体项目", "{w}田园综合体项目"),
    "现代供应链": ("{w}冷链物流园项目", "{w}现代商贸物流中心项目"),
    None: ("{w}基础设施提质改造项目", "{w}标准厂房建设项目"),
}
_PROGRESS = (
    "主体工程施工中",
    "设备安装调试",
    "场地平整完成，基础施工中",
    "厂房封顶，内部装修",
    "部分投产，二期建设中",
    "完成可研及环评批复",
)
_PROBLEMS = {
    "融资": "流动资金紧张，银行贷款审批周期长，需协调续贷",
    "土地": "扩建用地指标未落实，需协调用地报批",
    "用工": "技术工人招聘困难，熟练工缺口约{n}人",
    "技术": "关键工艺需升级，需对接高校科研院所",
    "审批": "环评审批进度较慢，需加快办理",
    "要素保障": "用电负荷不足，需电力部门增容",
    "其他": "厂区道路未硬化，雨天运输不便",
}


_STATUS_WEIGHTS = {
    "储备": 6,
    "前期": 4,
    "签约": 6,
    "开工": 8,
    "在建": 30,
    "竣工": 10,
    "投产": 10,
    "达效": 5,
    "停缓建": 3,
    "终止": 1,
}


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + rng.choice(_GIVEN)


def _q(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class DemoResult:
    units: int = 0
    enterprises: int = 0
    monthly: int = 0
    projects: int = 0
    project_monthly: int = 0
    problems: int = 0
    memberships: int = 0
    explanations: int = 0
    annual: int = 0
    stages: int = 0
    plans: int = 0
    leaders: int = 0  # county leaders added (reference data)
    chains: int = 0  # chains given a 链长, 牵头部门 and 专班 (reference data)
    measures: int = 0  # 一企一策
    periods: list[str] = field(default_factory=list)

    def summary(self) -> str:
        span = f"{self.periods[0]}至{self.periods[-1]}" if self.periods else "无月度数据"
        return (
            f"已生成演示数据：{self.units}个单位，企业{self.enterprises}户，月度数据{self.monthly}条，"
            f"项目{self.projects}个，项目月度{self.project_monthly}条，问题{self.problems}条（{span}）。"
        )


class _Builder:
    def __init__(self, ref: Reference, rng: random.Random, periods_: list[str], operator: str) -> None:
        self.ref = ref
        self.rng = rng
        self.periods = periods_
        self.operator = operator
        self.now = utcnow().replace(tzinfo=None)
        self.rows: dict[str, list[dict[str, Any]]] = {k: [] for k in m.ENTITY_MODELS}
        self.used_names: set[str] = set()
        self.used_codes: set[str] = set()
        self.industries = {i.name: i for i in ref.industries}
        self.domains = {d.name: d for d in ref.domains}
        self.chains = {c.name: c.id for c in ref.chains}
        self.last_period = periods_[-1] if periods_ else periods.last_completed()
        self.sizes: dict[str, float] = {}  # enterprise id → last year's output

    def uid(self, rng: random.Random | None = None) -> str:
        return str(uuid.UUID(int=(rng or self.rng).getrandbits(128), version=4))

    def base(self, unit_id: int, rng: random.Random | None = None) -> dict[str, Any]:
        """A new record's common columns, its id from `rng` (default: the builder's stream)."""
        return {
            "id": self.uid(rng),
            "unit_id": unit_id,
            "revision": 1,
            "created_at": self.now,
            "updated_at": self.now,
            "updated_by": self.operator,
            "deleted_at": None,
            "deleted_reason": None,
        }

    def person(self) -> str:
        return _person(self.rng)

    def credit(self) -> str:
        while True:
            body = (
                "9143042"
                + self.rng.choice("4")
                + "MA"
                + "".join(self.rng.choice(credit_code.ALPHABET) for _ in range(7))
            )
            code = credit_code.complete(body)
            if code not in self.used_codes:
                self.used_codes.add(code)
                return code

    def enterprise(self, unit_id: int, unit_name: str) -> tuple[dict[str, Any], str | None]:
        rng = self.rng
        industry_name: str | None = rng.choice([*self.industries, None]) if rng.random() < 0.9 else None
        if industry_name is not None and industry_name not in self.industries:
            industry_name = None
        industry = self.industries.get(industry_name) if industry_name else None
        domain_id = industry.domain_id if industry else self.domains[rng.choice(_DOMAIN_OF_OTHER)].id
        for _ in range(50):
            name = f"衡东县{rng.choice(_BRANDS)}{rng.choice(_INDUSTRY_WORDS[industry_name])}{rng.choice(_FORMS)}"
            if rng.random() < 0.3:
                name = "湖南" + name.removeprefix("衡东县")
            if name not in self.used_names:
                break
        else:
            name = f"{name[:-4]}{len(self.used_names)}{name[-4:]}"
        self.used_names.add(name)
        size = rng.random()
        if size < 0.015:
            last_output = rng.uniform(100_000, 260_000)  # 十亿级
        elif size < 0.22:
            last_output = rng.uniform(10_000, 90_000)  # 亿级
        else:
            last_output = rng.uniform(800, 9_500)
        revenue = last_output * rng.uniform(0.85, 1.05)
        tier = "十亿级" if last_output > 70_000 else ("亿级" if last_output > 6_000 else None)
        chain = _CHAIN_OF_INDUSTRY.get(industry_name or "")
        needs = rng.sample(self.ref.options["need_category"], k=rng.choice((0, 1, 1, 2)))
        rec = self.base(unit_id) | {
            "credit_code": self.credit(),
            "name": name,
            "address": f"衡东县{unit_name}{rng.choice(('工业园', '大道', '村', '社区', '路'))}{rng.randint(1, 300)}号",
            "legal_rep": self.person(),
            "contact_person": self.person(),
            "contact_phone": f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}",
            "founded_on": date(rng.randint(1995, 2022), rng.randint(1, 12), rng.randint(1, 28)),
            "domain_id": domain_id,
            "industry_id": industry.id if industry else None,
            "chain_id": self.chains.get(chain) if chain else None,
            "si_shang_category": self._si_shang(industry_name, last_output),
            "cultivation_tier": tier,
            "main_products": rng.choice(_INDUSTRY_WORDS[industry_name]) + "产品",
            "need_categories": needs,
            "needs_text": "；".join(f"{n}方面需要支持" for n in needs) or None,
            "support_measures": "县科工信局定期走访，协调解决融资与用地问题" if tier else None,
            "contact_leader": f"{rng.choice(_SURNAMES)}副县长" if tier == "十亿级" else None,
            "responsible_department": rng.choice(self.ref.domain(domain_id).lead_departments),
            "notes": None,
        }
        self.rows["enterprise"].append(rec)
        employees = int(max(10, last_output / rng.uniform(40, 120)))
        self.rows["enterprise_annual"].append(
            self.base(unit_id)
            | {
                "enterprise_id": rec["id"],
                "year": periods.year_of(self.last_period) - 1,
                "output": _q(last_output),
                "revenue": _q(revenue),
                "tax": _q(revenue * rng.uniform(0.02, 0.06)),
                "employees": employees,
            }
        )
        self.sizes[rec["id"]] = last_output
        self._memberships(rec, last_output)
        self._monthly(rec, last_output, revenue, employees)
        return rec, industry_name

    def _si_shang(self, industry: str | None, output: float) -> str | None:
        if output < 2_000:
            return None
        options = self.ref.options["si_shang_category"]
        if industry in ("土菜餐饮", "现代供应链"):
            return options[2]
        if industry == "文旅康养":
            return options[3]
        if industry == "新型建筑建材" and self.rng.random() < 0.5:
            return options[1]
        return options[0]

    def _memberships(self, ent: dict[str, Any], output: float) -> None:
        rng = self.rng
        lists = self.ref.options["cultivation_list"]
        chosen: list[tuple[str, str | None]] = []
        if output > 5_000 and rng.random() < 0.5:
            chosen.append((lists[0], None))
        if rng.random() < 0.12:
            chosen.append((lists[1], rng.choice(self.ref.options["specialized_level"][1:])))
        if 1_500 < output < 20_000 and rng.random() < 0.4:
            chosen.append((lists[2], None))
        if output > 100_000:
            chosen.append((lists[3], None))
        if rng.random() < 0.02:
            chosen.append((lists[4], None))
        for list_name, level in chosen:
            self.rows["membership"].append(
                self.base(ent["unit_id"])
                | {
                    "enterprise_id": ent["id"],
                    "list_name": list_name,
                    "level": level,
                    "date_in": date(rng.choice((2022, 2023)), rng.randint(1, 12), 1),
                    "reason_in": "符合培育条件，经乡镇推荐纳入",
                    "date_out": None,
                    "reason_out": None,
                    "decided_by": "县领导小组办公室",
                }
            )

    def _monthly(self, ent: dict[str, Any], last_output: float, last_revenue: float, employees: int) -> None:
        rng = self.rng
        growth = rng.uniform(0.95, 1.2)
        ytd: dict[str, Decimal] = {}
        prev_output: Decimal | None = None
        for period in self.periods:
            month = periods.month_of(period)
            if month == 1:
                ytd = {"output": Decimal(0), "revenue": Decimal(0), "tax": Decimal(0)}
            season = 0.75 if month in (1, 2) else (1.15 if month == 12 else 1.0)
            output = _q(last_output / 12 * growth * season * rng.uniform(0.88, 1.12))
            if prev_output and rng.random() < 0.015:
                output = _q(float(prev_output) * rng.uniform(1.6, 1.9))  # a real-looking spike
            revenue = _q(float(output) * rng.uniform(0.9, 1.05) * last_revenue / max(last_output, 1))
            tax = _q(float(revenue) * rng.uniform(0.02, 0.06))
            if not ytd:  # the series starts mid-year: seed last months' totals plausibly
                ytd = {"output": output * (month - 1), "revenue": revenue * (month - 1), "tax": tax * (month - 1)}
            ytd = {"output": ytd["output"] + output, "revenue": ytd["revenue"] + revenue, "tax": ytd["tax"] + tax}
            employees = max(5, int(employees * rng.uniform(0.97, 1.03)))
            rec = self.base(ent["unit_id"]) | {
                "enterprise_id": ent["id"],
                "period": period,
                "output_month": output,
                "output_ytd": ytd["output"],
                "revenue_month": revenue,
                "revenue_ytd": ytd["revenue"],
                "tax_ytd": ytd["tax"],
                "employees_end": employees,
            }
            self.rows["enterprise_monthly"].append(rec)
            if prev_output and output > prev_output * Decimal("1.5") and rng.random() < 0.6:
                self.explain(rec, "enterprise_monthly", "YB11", period, "本月新增大额订单集中交付，产值明显增加")
            prev_output = output

    def explain(self, rec: dict[str, Any], entity: str, rule_id: str, period: str | None, text: str) -> None:
        self.rows["explanation"].append(
            self.base(rec["unit_id"])
            | {
                "entity": entity,
                "record_id": rec["id"],
                "rule_id": rule_id,
                "period": period,
                "text": text,
            }
        )

    def project(self, unit_id: int, unit_name: str, builders: list[dict[str, Any]]) -> None:
        rng = self.rng
        industry_name: str | None = rng.choice([*self.industries, None])
        industry = self.industries.get(industry_name) if industry_name else None
        domain_id = industry.domain_id if industry else self.domains[rng.choice(_DOMAIN_OF_OTHER)].id
        word = rng.choice(_INDUSTRY_WORDS[industry_name]) if industry_name else unit_name
        name = rng.choice(_PROJECT_TEMPLATES[industry_name]).format(n=rng.choice((1, 2, 3, 5, 10, 20)), w=word)
        name = f"{unit_name}{name}" if rng.random() < 0.5 else name
        if name in self.used_names:
            name = f"{name}（{'二期' if rng.random() < 0.5 else '三期'}）"
        if name in self.used_names:
            name = f"{name[:-1]}{len(self.used_names)}）"
        self.used_names.add(name)
        total = _q(rng.choice((rng.uniform(10_000, 60_000), rng.uniform(60_000, 300_000), rng.uniform(3_000, 9_500))))
        statuses = self.ref.options["project_status"]
        status = rng.choices(statuses, weights=[_STATUS_WEIGHTS.get(s, 1) for s in statuses])[0]
        year = periods.year_of(self.last_period)
        start_year = year - rng.randint(0, 2)
        finish_year = start_year + rng.randint(1, 3)
        chain = _CHAIN_OF_INDUSTRY.get(industry_name or "")
        source = rng.choice(self.ref.options["project_source"])
        builder = rng.choice(builders) if builders and rng.random() < 0.6 else None
        signed = source == "招商引进"
        signed_on = date(start_year - 1, rng.randint(1, 12), rng.randint(1, 28)) if signed else None
        expected_output = _q(float(total) * rng.uniform(0.8, 2.0))
        halted = status in ("停缓建", "终止")
        rec = self.base(unit_id) | {
            "project_code": f"HD{year}{self.rng.randint(1, 99999):05d}",
            "name": name,
            "domain_id": domain_id,
            "industry_id": industry.id if industry else None,
            "chain_id": self.chains.get(chain) if chain else None,
            "chain_role": rng.choice(self.ref.options.get("chain_role", (None,))) if chain else None,
            "builder_enterprise_id": builder["id"] if builder else None,
            "project_type": rng.choice(self.ref.options["project_type"]),
            "source": source,
            "park_infrastructure": rng.choice(self.ref.options.get("park_infrastructure", (None,)))
            if industry is None and rng.random() < 0.4
            else None,
            "co_innovation": rng.random() < 0.15,
            "total_investment": total,
            "planned_start": periods.make(start_year, rng.randint(1, 12)),
            "planned_finish": periods.make(finish_year, rng.randint(1, 12)),
            "planned_production": periods.make(finish_year + 1, rng.randint(1, 6)),
            "expected_output": expected_output,
            "expected_tax": _q(float(expected_output) * rng.uniform(0.03, 0.06)),
            "content": f"总建筑面积约{rng.randint(1, 20)}万平方米，建设{word}生产及配套设施",
            "status": status,
            "status_since": None,
            "status_reason": ("资金未落实，暂缓建设" if status == "停缓建" else "投资方战略调整，终止合作")
            if halted
            else None,
            "signed_on": signed_on,
            "signing_party": (builder["name"] if builder else f"湖南{rng.choice(_BRANDS)}投资集团有限公司")
            if signed
            else None,
            "contract_investment": _q(float(total) * rng.uniform(0.8, 1.0)) if signed else None,
            "investment_source": rng.choice(self.ref.options.get("investment_source", (None,))) if signed else None,
            "build_first": rng.random() < 0.2,
            "contact_leader": f"{rng.choice(_SURNAMES)}副县长",
            "task_force": f"{word}项目推进专班",
            "agent": self.person(),
            "agent_phone": f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}",
            "responsible_department": rng.choice(self.ref.domain(domain_id).lead_departments),
            "notes": None,
        }
        self.rows["project"].append(rec)
        self._stages(rec, statuses)
        implemented = status in self.ref.implemented_statuses
        for plan_year in sorted({periods.year_of(p) for p in self.periods} or {year}):
            if implemented or status in ("签约", "前期"):
                self.rows["project_annual"].append(
                    self.base(unit_id)
                    | {
                        "project_id": rec["id"],
                        "year": plan_year,
                        "plan_investment": _q(float(total) * rng.uniform(0.2, 0.5)),
                    }
                )
        if self.periods and implemented:
            self._project_monthly(rec, total)

    def _stages(self, proj: dict[str, Any], flow: tuple[str, ...]) -> None:
        """The project's status history: signed at the first period, its status now from a
        later month (the middle of the span), each with the day it was reached."""
        first = self.periods[0] if self.periods else self.last_period
        history = [(first, proj["status"])]
        position = flow.index(proj["status"])
        if self.periods and len(self.periods) > 2 and position > flow.index("签约") and proj["status"] != "停缓建":
            history = [(first, "签约"), (self.periods[len(self.periods) // 3], proj["status"])]
        for period, status in history:
            year, month = periods.parse(period)
            self.rows["project_stage"].append(
                self.base(proj["unit_id"])
                | {
                    "project_id": proj["id"],
                    "period": period,
                    "status": status,
                    "reached_on": date(year, month, 1 + self.rng.randrange(28)),
                    "reason": proj["status_reason"] if status in ("停缓建", "终止") else None,
                }
            )
        proj["status_since"] = self.rows["project_stage"][-1]["reached_on"]

    def _project_monthly(self, proj: dict[str, Any], total: Decimal) -> None:
        """Investment each month (a few projects stall for the last months: 包而不推), funds in
        place for 招商 projects, output and tax once in production."""
        rng = self.rng
        overrun = rng.random() < 0.05
        stalled_from = len(self.periods) - 4 if proj["status"] == "在建" and rng.random() < 0.25 else len(self.periods)
        producing = proj["status"] in ("投产", "达效")
        since = proj["status_since"]
        producing_from = periods.make(since.year, since.month) if producing else None
        cumulative = _q(float(total) * rng.uniform(0.1, 0.4))
        funds = _q(float(proj["contract_investment"]) * rng.uniform(0.1, 0.3)) if proj["contract_investment"] else None
        first_month = periods.month_of(self.periods[0])
        # a series starting mid-year carries the months before it in 本年累计
        ytd = min(cumulative, _q(float(total) * 0.02 * (first_month - 1)))
        output = tax = Decimal(0)
        for n, period in enumerate(self.periods):
            if periods.month_of(period) == 1:
                ytd = output = tax = Decimal(0)
            monthly = _q(float(total) * rng.uniform(0.01, 0.05)) if n < stalled_from else Decimal(0)
            if overrun and period == self.periods[-1]:
                monthly = total - cumulative + _q(float(total) * 0.05)
            cumulative += monthly
            ytd += monthly
            funds_month = None
            if funds is not None:
                funds_month = min(monthly, proj["contract_investment"] - funds)
                funds += funds_month
            in_production = producing_from is not None and period >= producing_from
            if in_production:  # output from the month it went into production
                output += _q(float(proj["expected_output"]) / 12 * rng.uniform(0.5, 1.2))
                tax += _q(float(proj["expected_tax"]) / 12 * rng.uniform(0.5, 1.2))
            rec = self.base(proj["unit_id"]) | {
                "project_id": proj["id"],
                "period": period,
                "invest_month": monthly,
                "invest_cumulative": cumulative,
                "invest_ytd": ytd,
                "funds_month": funds_month,
                "funds_cumulative": funds,
                "output_ytd": output if in_production else None,
                "tax_ytd": tax if in_production else None,
                "progress": rng.choice(_PROGRESS) if monthly else "本月未施工",
                "issues": "施工用地部分未完成征拆" if rng.random() < 0.1 else None,
                "coordination": "请县自然资源局协调用地报批" if rng.random() < 0.08 else None,
            }
            self.rows["project_monthly"].append(rec)

    def problem(self, unit_id: int, target: dict[str, Any], is_project: bool, today: date) -> None:
        rng = self.rng
        category = rng.choice(self.ref.options["problem_category"])
        raised = today - timedelta(days=rng.randint(3, 300))
        status = rng.choices(self.ref.options["problem_status"], weights=(4, 3, 3))[0]
        solved = status == "已解决"
        self.rows["problem"].append(
            self.base(unit_id)
            | {
                "enterprise_id": None if is_project else target["id"],
                "project_id": target["id"] if is_project else None,
                "category": category,
                "description": _PROBLEMS[category].format(n=rng.randint(10, 80)),
                "raised_on": raised,
                "department": rng.choice(self.ref.departments).name,
                "assigned_on": raised,
                "deadline": raised + timedelta(days=rng.choice((15, 30, 60))),
                "status": status,
                "resolution": "已协调相关部门办结" if solved else None,
                "solved_on": min(today, raised + timedelta(days=rng.randint(5, 60))) if solved else None,
            }
        )


# 一企一策 measures: one answering each enterprise problem (关联问题), one more for the largest
# enterprise of each unit, the first unit's first one overdue. Drawn from a generator of their own,
# so that adding them left every other demo record as it was.
_MEASURES = {  # problem category → what is done about it
    "融资": "协调银行对接授信，争取续贷{n}00万元",
    "土地": "协调加快用地报批，落实扩建用地指标",
    "用工": "组织专场招聘会，帮助招工{n}0人",
    "技术": "对接湖南工学院开展工艺攻关",
    "审批": "牵头部门上门服务，压缩环评审批时限",
    "要素保障": "协调国网衡东县供电公司增容",
}


def _measures(builder: _Builder, seed: int, today: date) -> None:
    rng = random.Random(f"一企一策{seed}")
    problems = [p for p in builder.rows["problem"] if p["enterprise_id"]]
    largest: dict[int, dict[str, Any]] = {}
    for e in builder.rows["enterprise"]:
        known = largest.get(e["unit_id"])
        if known is None or builder.sizes[e["id"]] > builder.sizes[known["id"]]:
            largest[e["unit_id"]] = e
    wanted: list[tuple[int, str, dict[str, Any] | None]] = [(p["unit_id"], p["enterprise_id"], p) for p in problems]
    wanted += [(unit, e["id"], None) for unit, e in largest.items()]
    for n, (unit_id, enterprise_id, problem) in enumerate(wanted):
        overdue = n == 0
        status = "推进中" if overdue else rng.choice(("未启动", "推进中", "推进中", "已完成"))
        deadline = today - timedelta(days=20) if overdue else today + timedelta(days=rng.choice((30, 60, 90)))
        content = (
            _MEASURES.get(problem["category"], "协调解决企业反映的困难").format(n=rng.randint(2, 9))
            if problem
            else "申报省级专精特新中小企业，落实奖补资金"
        )
        builder.rows["support_measure"].append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "unit_id": unit_id,
                "revision": 1,
                "created_at": builder.now,
                "updated_at": builder.now,
                "updated_by": builder.operator,
                "deleted_at": None,
                "deleted_reason": None,
                "enterprise_id": enterprise_id,
                "problem_id": problem["id"] if problem else None,
                "content": content,
                "department": problem["department"] if problem else "县科工信局",
                "person": rng.choice(_SURNAMES) + rng.choice(_GIVEN),
                "deadline": deadline,
                "status": status,
                "progress": "已办结，企业满意"
                if status == "已完成"
                else ("已上门对接" if status == "推进中" else None),
            }
        )


AUDIT_TABLE: Table = m.AuditEntry.__table__  # type: ignore[assignment]  # Core inserts: the bulk path


def _write(session: Session, builder: _Builder, actor_unit: int, operator: str) -> None:
    from hengdong_desktop.db.audit import Actor

    actor = Actor(actor_unit, operator, "demo")
    for entity, model in m.ENTITY_MODELS.items():  # parents first
        rows = builder.rows[entity]
        if not rows:
            continue
        table: Table = model.__table__  # type: ignore[attr-defined]
        session.execute(insert(table), rows)
        session.execute(insert(AUDIT_TABLE), rows_for_create(actor, entity, rows))


def _accept_all(session: Session, builder: _Builder, units: tuple[Any, ...], operator: str) -> None:
    """County: each unit's generated months stand as carried by one accepted package."""
    from hengdong_desktop.services import reporting

    if not builder.periods:
        return
    for unit in units:
        package_id = builder.uid()
        reporting.mark_reported(session, unit.id, package_id, builder.periods)
        session.add(
            m.Review(
                id=builder.uid(),
                unit_id=unit.id,
                period=builder.periods[-1],
                decision="accepted",
                reason="演示数据",
                comments=[],
                package_id=package_id,
                operator=operator,
            )
        )


# ---------------------------------------------------------------------------------------------
# 链长制 (issue 16): county leaders as 链长 of the six chains with their 牵头部门 and 专班, the
# 链主企业 of each chain, and the leaders as 联系县领导 of projects and enterprises. Its own
# random stream, so that the rest of the demo data stays what it was.
# ---------------------------------------------------------------------------------------------
_LEADERS = (
    ("刘建平", "县委常委、常务副县长"),
    ("陈晓东", "县委常委、副县长"),
    ("周海涛", "副县长"),
    ("彭丽娟", "副县长"),
    ("罗卫国", "副县长"),
    ("曾志勇", "副县长"),
    ("唐文斌", "县人大常委会副主任"),
    ("邓春林", "县政协副主席"),
)
_CHAIN_DEPARTMENT = {"生态绿色食品": "县农业农村局"}  # the others: 县科工信局
_TASK_FORCE_DEPARTMENTS = ("县发改局", "县商粮局", "县住建局")


def _chain_programme(session: Session, builder: _Builder, seed: int, today: date) -> tuple[int, int]:
    """Where the database has no county leaders yet: the demo's leaders, each chain without a
    链长 given one (with its 牵头部门 and 专班); then, on the generated records, the largest
    enterprises of each chain on the 链主企业 list and the leaders as 联系县领导."""
    from sqlalchemy import select

    rng = random.Random(f"chains-{seed}")
    ref = builder.ref
    leaders = list(session.scalars(select(m.Leader).where(m.Leader.active).order_by(m.Leader.sort_order)))
    added = 0 if leaders else len(_LEADERS)
    if not leaders:
        leaders = [
            m.Leader(id=n, name=name, title=title, sort_order=n, active=True)
            for n, (name, title) in enumerate(_LEADERS, start=1)
        ]
        session.add_all(leaders)
        session.flush()
    departments = {d.name: d.id for d in ref.departments}
    chain_leader: dict[int, str] = {}
    chain_department: dict[int, str] = {}
    led = 0
    for n, chain in enumerate(session.scalars(select(m.Chain).where(m.Chain.active).order_by(m.Chain.sort_order))):
        if chain.leader_id is None:
            led += 1
            lead = _CHAIN_DEPARTMENT.get(chain.name, "县科工信局")
            chain.leader_id = leaders[n % len(leaders)].id
            chain.department_id = departments.get(lead)
            chain.task_force = "、".join(f"{dept} {_person(rng)}" for dept in (lead, *_TASK_FORCE_DEPARTMENTS))
            session.flush()  # one chain at a time: the audit rows in the same order every run
        chain_leader[chain.id] = next((x.name for x in leaders if x.id == chain.leader_id), leaders[0].name)
        chain_department[chain.id] = next(
            (d.name for d in ref.departments if d.id == chain.department_id), ref.departments[0].name
        )
    names = [x.name for x in leaders]

    def contact(chain_id: int | None) -> str:
        if chain_id in chain_leader and rng.random() < 0.6:
            return chain_leader[chain_id]
        return rng.choice(names)

    medicine = next((c.id for c in ref.chains if c.name == "生物医药"), None)
    for ent in builder.rows["enterprise"]:
        if ent["chain_id"] is None and ent["industry_id"] is None and "医药" in ent["name"]:
            ent["chain_id"] = medicine
        if ent["contact_leader"] is not None or (builder.sizes[ent["id"]] > 6_000 and rng.random() < 0.4):
            ent["contact_leader"] = contact(ent["chain_id"])
    for proj in builder.rows["project"]:
        proj["contact_leader"] = contact(proj["chain_id"])
    chain_list = ref.options["cultivation_list"][3]  # 链主企业
    members = {x["enterprise_id"] for x in builder.rows["membership"] if x["list_name"] == chain_list}
    by_chain: dict[int, list[dict[str, Any]]] = {}
    for ent in builder.rows["enterprise"]:
        if ent["chain_id"] is not None:
            by_chain.setdefault(ent["chain_id"], []).append(ent)
    for ents in by_chain.values():
        for ent in sorted(ents, key=lambda e: -builder.sizes[e["id"]])[: max(1, len(ents) // 8)]:
            if ent["id"] not in members:
                builder.rows["membership"].append(
                    builder.base(ent["unit_id"], rng)
                    | {
                        "enterprise_id": ent["id"],
                        "list_name": chain_list,
                        "level": None,
                        "date_in": date(2023, rng.randint(1, 12), 1),
                        "reason_in": "产业链龙头，经链长办公会议认定为链主企业",
                        "date_out": None,
                        "reason_out": None,
                        "decided_by": "县产业链链长制工作领导小组",
                    }
                )
    projects_by_chain: dict[int, list[dict[str, Any]]] = {}
    for proj in builder.rows["project"]:
        if proj["chain_id"] is not None:
            projects_by_chain.setdefault(proj["chain_id"], []).append(proj)
    for chain_id, department in chain_department.items():
        largest = [
            *((e, False) for e in sorted(by_chain.get(chain_id, []), key=lambda e: -builder.sizes[e["id"]])[:1]),
            *((p, True) for p in sorted(projects_by_chain.get(chain_id, []), key=lambda p: -p["total_investment"])[:1]),
        ]
        for target, is_project in largest:
            category = rng.choice(ref.options["problem_category"])
            assigned = today - timedelta(days=rng.randint(40, 120))
            deadline = assigned + timedelta(days=30)
            solved = rng.random() < 0.25
            builder.rows["problem"].append(
                builder.base(target["unit_id"], rng)
                | {
                    "enterprise_id": None if is_project else target["id"],
                    "project_id": target["id"] if is_project else None,
                    "category": category,
                    "description": _PROBLEMS[category].format(n=rng.randint(10, 80)) + "，已报链长协调",
                    "raised_on": assigned,
                    "department": department,
                    "assigned_on": assigned,
                    "deadline": deadline,
                    "status": "已解决" if solved else "办理中",
                    "resolution": "经链长协调已办结" if solved else None,
                    "solved_on": min(today, deadline - timedelta(days=rng.randint(0, 10))) if solved else None,
                }
            )
    return added, led


def generate(
    db: Database,
    *,
    enterprises: int = 30,
    months: int = 12,
    projects: int | None = None,
    seed: int = 1,
    end_period: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
) -> DemoResult:
    """Adds demo data for this database's unit, or for all 18 units in a county database."""
    if enterprises < 0 or months < 0 or (projects is not None and projects < 0):
        raise UserError("演示数据的数量不能为负数。")
    if enterprises > 100_000 or months > 120:
        raise UserError("演示数据过多：每个单位企业不超过100000户，月数不超过120。")
    training.require_training(db, db.name)
    info = read_info(db)
    with db.read() as s:
        ref = load(s)
    end = end_period or periods.last_completed(today)
    if not periods.is_period(end):
        raise UserError(f"期别“{end}”无效，应为YYYY-MM。")
    period_list = periods.span(end, months) if months else []
    units = ref.units if info.is_county else (ref.unit(info.unit_id),)
    n_projects = projects if projects is not None else max(2, enterprises // 8)
    rng = random.Random(seed)
    builder = _Builder(ref, rng, period_list, info.operator or "演示")
    day = today or date.today()
    result = DemoResult(units=len(units), periods=period_list)
    for done, unit in enumerate(units):
        if progress:
            progress(done, len(units), f"正在生成{unit.name}的演示数据")
        ents = [builder.enterprise(unit.id, unit.name)[0] for _ in range(enterprises)]
        big = [e for e in ents if builder.sizes[e["id"]] > 5_000]
        first_project = len(builder.rows["project"])
        for _ in range(n_projects):
            builder.project(unit.id, unit.name, big)
        unit_projects = builder.rows["project"][first_project:]
        for target in rng.sample(ents, k=min(len(ents), max(1, enterprises // 10))):
            builder.problem(unit.id, target, False, day)
        for target in rng.sample(unit_projects, k=min(len(unit_projects), max(0, n_projects // 5))):
            builder.problem(unit.id, target, True, day)
    _measures(builder, seed, day)
    with db.write(info.actor("demo")) as s:
        result.leaders, result.chains = _chain_programme(s, builder, seed, day)
        _write(s, builder, info.unit_id, info.operator)
        if info.is_county:
            _accept_all(s, builder, units, info.operator or "演示")
    if progress:
        progress(len(units), len(units), "演示数据已生成")
    result.enterprises = len(builder.rows["enterprise"])
    result.monthly = len(builder.rows["enterprise_monthly"])
    result.projects = len(builder.rows["project"])
    result.project_monthly = len(builder.rows["project_monthly"])
    result.problems = len(builder.rows["problem"])
    result.memberships = len(builder.rows["membership"])
    result.explanations = len(builder.rows["explanation"])
    result.annual = len(builder.rows["enterprise_annual"])
    result.stages = len(builder.rows["project_stage"])
    result.plans = len(builder.rows["project_annual"])
    result.measures = len(builder.rows["support_measure"])
    return result


def is_empty(db: Database) -> bool:
    from sqlalchemy import func, select

    with db.read() as s:
        return not s.scalar(select(func.count()).select_from(m.Enterprise))


def explain_open_warnings(db: Database, text: str = "经核实数据属实，已说明原因") -> int:
    """Writes `text` as the explanation of every warning still unexplained, as a clerk would
    after checking each figure: for demo and training databases, tests and benchmarks that
    need a package-ready database. Returns how many were written."""
    from hengdong_desktop.services import checks

    info = read_info(db)
    open_warnings = checks.check_database(db, unit_id=None if info.is_county else info.unit_id).unexplained
    with db.write(info.actor("demo")) as s:
        for f in open_warnings:
            s.add(
                m.Explanation(
                    unit_id=info.unit_id,
                    entity=f.entity,
                    record_id=f.record_id,
                    rule_id=f.rule_id,
                    period=f.period,
                    text=text,
                )
            )
    return len(open_warnings)
