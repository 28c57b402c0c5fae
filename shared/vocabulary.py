"""The field's word lists, in one place that every service, schema and page imports.

Each list is a mapping from the word in code to its label on screen (zh-CN, from the field
reports), in the order staff expect to read them. Plain Python, so that domain rules can use
the words without pulling in marshmallow, Flask or a store.
"""

from dataclasses import dataclass

SEXES = {"female": "女", "male": "男"}

# An elder's record: active, or closed by a death, a move out of the district or a merge
ELDER_STATUSES = {
    "active": "在册",
    "deceased": "已去世",
    "moved_out": "已迁出本区",
    "merged": "已合并",
}

# What changed of a staff account, as its access events say
ACCESS_CHANGES = ("disabled", "enabled", "duties changed", "password reset", "signed out")

HOUSEHOLD_TYPES = {
    "empty_nest": "空巢",
    "living_alone": "独居",
    "widowed_childless": "孤寡",
    "with_family": "与家人同住",
    "unknown": "未填",
}

# How a household's type was decided: by the rules from its members, or by staff with a reason
HOUSEHOLD_TYPE_SOURCES = {"rules": "按成员推算", "by_hand": "人工设定"}

# How a resident who is not in the register is related to the household's elder(s). A child,
# a child's spouse or a grandchild living in makes a household one "with family", not empty-nest.
RELATIONS = {
    "spouse": "配偶",
    "child": "子女",
    "child_in_law": "儿媳/女婿",
    "grandchild": "孙子女",
    "sibling": "兄弟姐妹",
    "parent": "父母",
    "other": "其他",
}
CHILD_RELATIONS = ("child", "child_in_law", "grandchild")

# The grid below the community (网格): what a cell is, and what its leader is called
GRID_KINDS = {"group": "居民小组", "building": "楼栋", "courtyard": "院落"}
GRID_LEADERS = {"group": "居民小组长", "building": "楼道长", "courtyard": "院落长"}

# What changed of a household, as its events say
HOUSEHOLD_CHANGES = (
    "member_joined",
    "member_left",
    "set_by_hand",
    "rules_restored",
    "residents_changed",
    "home_care_enrolled",
    "home_care_ended",
    "placed_in_grid",
    "reorganised",
)

# Why an elder no longer lives in a household
HOUSEHOLD_DEPARTURES = {
    "died": "去世",
    "moved_out": "迁出本区",
    "moved": "搬家",
    "merged": "重复记录合并",
    "regrouped": "调整户",
}

# 离退休干部: retired before 1 October 1949's service counts as 离休, after it as 退休
CADRE_RETIREMENTS = {"lixiu": "离休", "tuixiu": "退休"}

# Where the elder lives: an urban community (社区) or a village (村); the reports give the share.
# A district's communities are of the same two kinds.
SETTLEMENTS = {"community": "社区", "village": "村"}

# The yes/no circumstances on a record: each a list filter and a figure of the statistics
ELDER_FLAGS = ("low_income", "disabled", "home_care")

# The scales of a self-care assessment, and the levels either gives (GB/T 42195-2022's grades)
ASSESSMENT_SCALES = {
    "barthel": "日常生活活动能力（Barthel 指数，0–100 分）",
    "national": "老年人能力评估（国家标准，0–4 级）",
}
SELF_CARE_LEVELS = {
    "independent": "能力完好",
    "mild": "轻度失能",
    "moderate": "中度失能",
    "severe": "重度失能",
    "total": "完全失能",
}

MARITAL_STATUSES = {
    "married": "已婚",
    "widowed": "丧偶",
    "divorced": "离异",
    "never_married": "未婚",
    "unknown": "未填",
}


@dataclass(frozen=True)
class Trigger:
    """One of the eight must-visits (八个必访), and how many hours a visit may wait by default."""

    label: str
    default_hours: int


# The eight must-visits. The district may change each deadline; these are the defaults.
TRIGGERS = {
    "hospitalised": Trigger("生病住院", 72),
    "hardship": Trigger("生活发生困难", 72),
    "family_accident": Trigger("家庭发生意外", 48),
    "family_conflict": Trigger("家庭发生矛盾", 72),
    "neighbour_dispute": Trigger("邻里之间发生矛盾", 120),
    "moving_house": Trigger("房子乔迁", 168),
    "worries": Trigger("有思想顾虑", 120),
    "employer_benefits_undelivered": Trigger("原单位生活待遇不落实", 168),
}


@dataclass(frozen=True)
class Urgency:
    """How urgent a help request is, and how many hours an answer may wait by default."""

    label: str
    default_response_hours: int


# Every urgency any door accepts: the hotline's low to urgent, and staff's high.
URGENCIES = {
    "urgent": Urgency("紧急", 2),
    "high": Urgency("较急", 24),
    "normal": Urgency("一般", 72),
    "low": Urgency("不急", 168),
}

HELP_CHANNELS = {"hotline": "服务热线", "love_umbrella": "爱心伞"}

# The events other systems publish that report a must-visit, and the trigger each reports
TRIGGER_OF = {
    "hospital.admitted": "hospitalised",
    "hardship.reported": "hardship",
    "family_accident.reported": "family_accident",
    "family_conflict.reported": "family_conflict",
    "neighbour_dispute.reported": "neighbour_dispute",
    "worries.reported": "worries",
    "employer_benefits.undelivered": "employer_benefits_undelivered",
}

# Why an elder is a key service target (重点服务对象); intake's rules name these.
KEY_TARGET_REASONS = {
    "chronic_illness_low_self_care": "患慢性病且生活自理能力差",
    "empty_nest": "空巢",
    "living_alone": "独居",
    "widowed_childless": "孤寡",
    "low_income": "低保",
    "disabled": "残疾",
}


@dataclass(frozen=True)
class Frequency:
    """How often an elder is visited routinely: once in every `months` calendar months
    (periods start in January), or not routinely at all (None)."""

    label: str
    months: int | None


# How often key targets are visited routinely (定期专访), per reason; the district chooses.
VISIT_FREQUENCIES = {
    "monthly": Frequency("每月", 1),
    "bimonthly": Frequency("每两个月", 2),
    "quarterly": Frequency("每季度", 3),
    "half_yearly": Frequency("每半年", 6),
    "yearly": Frequency("每年", 12),
    "none": Frequency("不定期专访", None),
}

# Who is paired one-to-one with an elder (结对帮扶). Volunteers are registered by intake and
# cadres are users of the system, so both are named by their id; the others may be neither,
# and are then known by name and reached by phone.
PARTNER_KINDS = {
    "volunteer": "志愿者",
    "cadre": "干部",
    "property_staff": "物业人员",
    "building_leader": "楼道长",
    "neighbour": "邻居",
}
PARTNERS_WITH_ID = ("volunteer", "cadre")


# Visits' word lists that events and rules share (their labels are the workbench's)
OBLIGATION_STATUSES = ("open", "met", "cancelled")
OBLIGATION_KIND_LABELS = {
    "mandatory": "必访",
    "routine": "定期走访",
    "pairing": "结对帮扶",
    "festival": "节日慰问",
    "door_check": "入户核对信息",
}
OBLIGATION_KINDS = tuple(OBLIGATION_KIND_LABELS)
VISIT_KINDS = ("home", "hospital", "elsewhere", "phone")
# What a door-to-door check (入户走访，核对信息) may find wrong on an elder's record, and put right
CHECKED_FACTS = {
    "phone": "联系电话",
    "address": "住址",
    "marital_status": "婚姻状况",
    "party_member": "党员",
    "veteran": "退役军人",
    "cadre_retirement": "离退休干部",
    "settlement": "居住地（社区/村）",
}
VISIT_KIND_LABELS = {
    "home": "入户走访",
    "hospital": "医院探望",
    "elsewhere": "其他地点",
    "phone": "电话访问",
}
HELP_STATUSES = ("open", "responding", "resolved")
SERVICE_TYPES = (
    "medical",
    "home_bed",
    "housekeeping",
    "legal_advice",
    "repairs",
    "errands",
    "meals",
    "companionship",
    "other",
)


# Learning, activities and teams (老年人学习、活动; 发挥余热; 活动阵地), as the field reports
# name them. Venues are the community's activity places; a team is a culture and sports team,
# a volunteer service team (a party members' one among them) or a mutual-aid group.
VENUE_KINDS = {
    "activity_room": "活动室",
    "reading_room": "阅览室",
    "indoor_gym": "室内健身房",
    "outdoor_area": "室外健身场地",
    "school_classroom": "学校教室",
}
TEAM_KINDS = {
    "culture_sports": "文体队伍",
    "volunteer_service": "老年志愿服务队",
    "party_volunteer": "党员志愿服务队",
    "mutual_aid": "互助小组",
}
VOLUNTEER_TEAM_KINDS = ("volunteer_service", "party_volunteer")
# What a course teaches, a lecture is about, or a culture and sports team does
ACTIVITY_TYPES = {
    "dance": "舞蹈",
    "singing": "歌咏",
    "calligraphy": "书法",
    "painting": "美术",
    "taichi": "太极拳",
    "chess_cards": "棋牌",
    "housekeeping": "家政服务",
    "family_education": "家庭教育",
    "health": "老年常见病预防和治疗",
    "history": "历史",
    "health_knowledge": "健康知识",
    "sports": "体育运动",
    "intergenerational": "老少同乐",
    "other": "其他",
}
# The service a volunteer team or a volunteer gives
VOLUNTEER_SERVICES = {
    "policy_publicity": "政策宣传",
    "public_order": "治安巡逻",
    "legal_advice": "法律咨询",
    "fitness": "健身指导",
    "family_planning": "计划生育",
    "home_care_pairing": "结对帮扶居家养老户",
    "other": "其他",
}
COURSE_ORGANISERS = {
    "tv_university": "老年电大",
    "elder_university": "老年大学",
    "elder_school": "老年学校",
    "citizen_school": "市民学校",
    "community": "社区",
}
COURSE_KINDS = {"course": "课程", "lecture": "讲座"}
# Posts in the community held by elders (发挥余热), and their pairings with school classes
COMMUNITY_POSTS = {
    "committee_member": "居委会委员",
    "group_leader": "居民小组长",
    "patrol": "治安巡逻",
    "mediation": "民事调解",
    "class_pairing": "与学校班级结对",
}


# What those served say (听取服务对象的意见): what a rating is of, who gave it, its words; and
# how a complaint came in
FEEDBACK_SUBJECTS = {"visit": "走访", "service": "服务", "help_request": "求助处理"}
FEEDBACK_GIVERS = {"elder": "老人本人", "family": "家属"}
RATING_LABELS = {1: "很不满意", 2: "不满意", 3: "一般", 4: "满意", 5: "很满意"}
# To whom a help request beyond a visit is referred (物色有关人员予以帮助)
REFERRAL_KINDS = {"department": "相关部门", "legal_helper": "法律援助", "other": "其他"}
COMPLAINT_CHANNELS = {
    "hotline": "服务热线",
    "visit": "走访时反映",
    "in_person": "来访",
    "letter": "来信",
    "online": "网上",
}
# The yearly elder-work budget (老龄工作经费列入年初预算): its spending lines, and what a partner
# unit (共建单位) gives
BUDGET_LINES = {
    "equipment": "设备购置",
    "periodicals": "报刊订阅",
    "activities": "活动经费",
    "visits_and_relief": "走访慰问",
    "training": "培训",
    "other": "其他",
}
PARTNER_GIFTS = {"money": "资金", "venue": "场地"}


# Allowances: the high-age bands (services.allowances.domain.high_age) and why a payment
# stops, as the monthly report (高龄津贴月报表) names them
HIGH_AGE_BANDS = {"80-89": "80-89岁", "90-99": "90-99岁", "100+": "100岁及以上"}
STOP_CAUSES = {
    "deceased": "死亡",
    "moved_out": "迁出本区",
    "under_age": "未满年龄",
    "not_on_roll": "未列入名册",
}
PROGRAMME_LABELS = {"high_age": "高龄津贴", "home_care_voucher": "居家养老服务券"}
SERVICE_TYPE_LABELS = {
    "medical": "医疗保健",
    "home_bed": "家庭病床",
    "housekeeping": "家政服务",
    "legal_advice": "法律咨询",
    "repairs": "维修服务",
    "errands": "代办服务",
    "meals": "助餐服务",
    "companionship": "精神慰藉",
    "other": "其他服务",
}
