"""Training (培训/演示) databases: marked for good at creation, the mark the package check reads
(`is_training_database`), a watermark on every page of every PDF, and demo data only there."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from hengdong_desktop.db import models as m
from hengdong_desktop.errors import UserError
from hengdong_desktop.services import demo, pdf, training


def _text(path: Path) -> str:
    return "".join("".join(page.extract_text().split()) for page in PdfReader(path).pages)


def test_the_mark_is_set_at_creation_and_read_back(training_township, township) -> None:  # type: ignore[no-untyped-def]
    trial, trial_info = training_township
    real, real_info = township
    with trial.read() as s:
        assert training.is_training_database(s)
    with real.read() as s:
        assert not training.is_training_database(s)
    assert trial_info.training and not real_info.training
    with pytest.raises(UserError, match="是正式数据库，不能生成演示数据"):
        demo.generate(real, enterprises=1, months=1)
    with real.read() as s:
        assert s.scalar(select(m.Enterprise.id)) is None


def test_every_page_of_every_document_carries_the_watermark(training_township, township, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, _info = training_township
    demo.generate(db, enterprises=2, months=2, projects=1, seed=2, end_period="2025-03")
    forms = pdf.write_enterprise_forms(db, tmp_path / "forms.pdf", period="2025-03")
    projects = pdf.write_project_forms(db, tmp_path / "projects.pdf", period="2025-03")
    for written in (forms, projects):
        pages = [("".join(page.extract_text().split())) for page in PdfReader(written.path).pages]
        assert pages and all(training.WATERMARK.replace(" ", "") in text for text in pages)
    real, info = township
    from hengdong_desktop.services import entry

    entry.save(real, info, "enterprise", {"name": "甲公司", "credit_code": "91430424MA4L00001T", "domain_id": 1})
    clean = pdf.write_enterprise_forms(real, tmp_path / "real.pdf", period="2025-03")
    assert "培训" not in _text(clean.path) and "非正式" not in _text(clean.path)
