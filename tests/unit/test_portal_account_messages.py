"""What intake says about passwords and paused sign-ins is said in Chinese on the workbench."""

import json

import pytest

from portal.messages import in_language
from services.intake.domain.passwords import check_password
from services.intake.entrypoints.auth_api import _paused
from shared.errors import RuleViolation


@pytest.mark.parametrize(
    ("password", "chinese_words"), [("password1234", "过于常见"), ("too short", "12")]
)
def test_a_refused_password_is_said_in_chinese(chinese, password, chinese_words):
    with pytest.raises(RuleViolation) as refused:
        check_password(password)
    said = in_language(refused.value.detail)
    assert said != refused.value.detail and chinese_words in said


def test_a_paused_sign_in_is_said_in_chinese_with_the_minutes_to_wait(chinese):
    detail = json.loads(_paused(150).get_data())["detail"]
    assert in_language(detail) == "登录失败次数过多：请 3 分钟后再试，或请区级管理员重置密码。"


@pytest.mark.parametrize(
    ("change", "said"),
    [("password reset", "重置密码"), ("signed out", "退出登录"), ("sign-in failed", "登录失败")],
)
def test_an_accounts_history_lines_are_said_in_chinese(chinese, change, said):
    assert in_language(change) == said
