"""统一社会信用代码: the check character, property-tested against an independent implementation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from hengdong_desktop.domain import credit_code

# Reference implementation written straight from GB 32100-2015, table and weights spelled out.
REF_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
REF_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def reference_check(code17: str) -> str:
    total = 0
    for position in range(17):
        total += REF_CHARS.find(code17[position]) * REF_WEIGHTS[position]
    remainder = 31 - total % 31
    return REF_CHARS[0] if remainder == 31 else REF_CHARS[remainder]


REF_REGISTRARS = "123456789ANY"  # GB 32100-2015 table 1: the first character
bodies = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(REF_REGISTRARS),
    st.text(alphabet=REF_CHARS, min_size=16, max_size=16),
)


@given(bodies)
def test_check_character_matches_reference(body: str) -> None:
    assert credit_code.check_character(body) == reference_check(body)


@given(bodies)
def test_completed_codes_are_valid(body: str) -> None:
    assert credit_code.is_valid(body + reference_check(body))


@given(bodies, st.sampled_from(REF_CHARS))
def test_any_other_check_character_is_rejected(body: str, wrong: str) -> None:
    if wrong != reference_check(body):
        assert not credit_code.is_valid(body + wrong)
        assert "校验位错误" in (credit_code.problem(body + wrong) or "")


@given(bodies, st.integers(min_value=0, max_value=16), st.sampled_from(REF_CHARS))
def test_a_single_changed_character_is_detected(body: str, pos: int, ch: str) -> None:
    code = body + reference_check(body)
    changed = code[:pos] + ch + code[pos + 1 :]
    if changed != code:
        assert not credit_code.is_valid(changed)


def test_known_real_world_code() -> None:
    # A published code (Huawei Technologies Co., Ltd.).
    assert credit_code.is_valid("914403001922038216")


def test_lower_case_and_full_width_are_normalised() -> None:
    code = credit_code.complete("91430424MA4L1234X")
    typed = " " + code.lower().replace("9", "９") + "　"
    assert credit_code.normalize(typed) == code
    assert credit_code.is_valid(typed)


def test_problems_name_the_reason() -> None:
    assert "18位" in (credit_code.problem("1234") or "")
    assert "登记管理部门代码" in (credit_code.problem("000000000000000000") or "")  # its check digit is right
    assert "不允许的字符" in (credit_code.problem("91430424MA4L1234IO") or "")
