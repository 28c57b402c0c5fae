"""Survey rows, as clerks fill them in (English or Chinese headers), to registrations."""

import re
from collections.abc import Iterable, Iterator
from typing import Any

from marshmallow import ValidationError

from services.intake.adapters.spreadsheets import NumberCell
from services.intake.domain.elder import Registration
from services.intake.entrypoints.schemas import RegistrationSchema
from shared.vocabulary import ELDER_FLAGS

HEADERS = {
    "national_id": ("national_id", "身份证号", "身份证号码"),
    "name": ("name", "姓名"),
    "sex": ("sex", "性别"),
    "birth_date": ("birth_date", "出生日期"),
    "community": ("community", "社区"),
    "address": ("address", "地址", "住址"),
    "phone": ("phone", "电话", "联系电话"),
    "household_type": ("household_type", "户型", "家庭类型"),
    "household_number": ("household_number", "户号"),
    "building": ("building", "楼栋", "院落", "楼栋/院落"),
    "marital_status": ("marital_status", "婚姻状况"),
    "has_children": ("has_children", "有无子女"),
    "party_member": ("party_member", "党员", "是否党员"),
    "veteran": ("veteran", "退役军人", "退伍军人"),
    "cadre_retirement": ("cadre_retirement", "离退休"),
    "settlement": ("settlement", "城乡", "居住地类型"),
    "low_income": ("low_income", "低保"),
    "disabled": ("disabled", "残疾"),
    "home_care": ("home_care", "居家养老"),
    "retired_cadre_employer": ("retired_cadre_employer", "原单位"),
    "emergency_contact_name": ("emergency_contact_name", "紧急联系人"),
    "emergency_contact_phone": ("emergency_contact_phone", "紧急联系电话"),
}
WORDS = {
    "男": "male",
    "女": "female",
    "m": "male",
    "f": "female",
    "空巢": "empty_nest",
    "独居": "living_alone",
    "孤寡": "widowed_childless",
    "与家人同住": "with_family",
    "有家人": "with_family",
    "已婚": "married",
    "丧偶": "widowed",
    "离异": "divorced",
    "未婚": "never_married",
    "离休": "lixiu",
    "退休": "tuixiu",
    "社区": "community",
    "城镇": "community",
    "村": "village",
    "农村": "village",
}
# How a spreadsheet writes a long number it stores as one, e.g. 1.10105E+17
SCIENTIFIC = re.compile(r"^[0-9](\.[0-9]+)?[eE]\+?[0-9]+$")
_CHILDREN = {"有": "yes", "无": "no"}
TRUE, FALSE = ("是", "yes", "y", "true", "1"), ("否", "no", "n", "false", "0", "")
CIRCUMSTANCES = (
    "household_type",
    "low_income",
    "disabled",
    "home_care",
    "retired_cadre_employer",
    "marital_status",
    "has_children",
    "party_member",
    "veteran",
    "cadre_retirement",
    "settlement",
)


def registrations(
    rows: Iterable[tuple[int, dict[str, str]]],
) -> Iterator[tuple[int, Registration | str]]:
    """Each row as a Registration, or the reason it cannot be one."""
    schema = RegistrationSchema()
    for number, row in rows:
        as_number = _id_number_as_number(row)
        if as_number:
            yield number, as_number
            continue
        try:
            yield number, Registration(**schema.load(_payload(row)))
        except ValidationError as error:
            yield (
                number,
                "; ".join(
                    f"{field}: {' '.join(map(str, messages))}"
                    for field, messages in _flat(error.messages)
                ),
            )
        except ValueError as error:
            yield number, str(error)


def _id_number_as_number(row: dict[str, str]) -> str | None:
    """Why an ID number stored as a number is refused, or None. A number keeps 15 significant
    digits: an 18-digit one has already lost its last digits, and about 1 in 11 such
    corruptions still passes the check character, so the row cannot be trusted."""
    value = _value(row, HEADERS["national_id"])
    if not isinstance(value, NumberCell) and not SCIENTIFIC.match(value):
        return None
    return (
        f"national_id: the ID number is stored as a number ({value}), not as text; a number "
        "keeps only 15 digits, so the last ones are lost. Format the ID number column as text "
        "(设置单元格格式为文本), enter the numbers again and import the file once more"
    )


def _payload(row: dict[str, str]) -> dict[str, Any]:
    values = {name: _value(row, aliases) for name, aliases in HEADERS.items()}
    payload: dict[str, Any] = {
        k: v for k, v in values.items() if v and k not in CIRCUMSTANCES and "emergency" not in k
    }
    if "sex" in payload:
        payload["sex"] = WORDS.get(payload["sex"].lower(), payload["sex"].lower())
    circumstances: dict[str, Any] = {}
    if values["household_type"]:
        circumstances["household_type"] = WORDS.get(
            values["household_type"], values["household_type"]
        )
    for flag in ELDER_FLAGS:
        circumstances[flag] = _yes(values[flag], flag)
    if values["marital_status"]:
        circumstances["marital_status"] = WORDS.get(
            values["marital_status"], values["marital_status"].lower()
        )
    if values["has_children"]:
        circumstances["has_children"] = _yes(
            _CHILDREN.get(values["has_children"], values["has_children"]), "has_children"
        )
    for flag in ("party_member", "veteran"):
        if values[flag]:
            circumstances[flag] = _yes(values[flag], flag)
    for word in ("cadre_retirement", "settlement"):
        if values[word]:
            circumstances[word] = WORDS.get(values[word], values[word].lower())
    if values["retired_cadre_employer"]:
        circumstances["retired_cadre_employer"] = values["retired_cadre_employer"]
    payload["circumstances"] = circumstances
    if values["emergency_contact_name"] or values["emergency_contact_phone"]:
        payload["emergency_contact"] = {
            "name": values["emergency_contact_name"],
            "phone": values["emergency_contact_phone"],
        }
    return payload


def _value(row: dict[str, str], aliases: tuple[str, ...]) -> str:
    return next((row[a] for a in aliases if row.get(a)), "")


def _yes(text: str, name: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise ValueError(f"{name}: {text!r} is not yes/no (是/否)")


def _flat(messages: Any, prefix: str = "") -> Iterator[tuple[str, list]]:
    for key, value in messages.items():
        if isinstance(value, dict):
            yield from _flat(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value
