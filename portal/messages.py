"""The services' error messages in the interface language.

The APIs answer in English; each message the pages show beside a field is matched here against
the services' own wording and said again in the user's language. A message not listed is shown
as the service wrote it, so that nothing is hidden.
"""

import re
from collections.abc import Callable, Mapping

from flask_babel import gettext as _

from portal.money import yuan
from portal.words import self_care_levels

Say = Callable[[re.Match[str]], str]
# Said of a named field where the service's words are the same for every field.
OF_FIELD: list[tuple[re.Pattern[str], Callable[[str], str]]] = [
    (re.compile(r"^Missing data for required field\.$"), lambda f: _("Enter %(field)s.", field=f)),
    (re.compile(r"^Shorter than minimum length 1\.$"), lambda f: _("Enter %(field)s.", field=f)),
    (re.compile(r"^Must be one of: "), lambda f: _("Choose %(field)s.", field=f)),
    (re.compile(r"^Not a valid date\.$"), lambda f: _("Enter %(field)s as a real date.", field=f)),
]

PATTERNS: list[tuple[re.Pattern[str], Say]] = [
    # what those served say
    (
        re.compile(r"^the complaint is about (\S+)'s work: someone else answers it$"),
        lambda m: _(
            "The complaint is about the work of %(user)s: someone else answers it.", user=m[1]
        ),
    ),
    (
        re.compile(r"^only (\d+) fen raised is not yet handed over$"),
        lambda m: _("Only %(amount)s yuan raised is not yet handed over.", amount=yuan(int(m[1]))),
    ),
    # learning, activities and teams
    (
        re.compile(r"^(.+) is full: (\d+) of its (\d+) places are taken$"),
        lambda m: _(
            "%(course)s is full: all %(places)s places are taken.", course=m[1], places=m[3]
        ),
    ),
    (
        re.compile(r"^(.+) is enrolled in (.+) already$"),
        lambda m: _("%(name)s is enrolled in %(course)s already.", name=m[1], course=m[2]),
    ),
    (
        re.compile(r"^(.+) is a member of (.+) already$"),
        lambda m: _("%(name)s is a member of %(team)s already.", name=m[1], team=m[2]),
    ),
    (
        re.compile(r"^(.+) (died|left the district) on (\S+): nothing is recorded for them"),
        lambda m: (
            _(
                "%(name)s died on %(day)s: nothing is recorded for them after it.",
                name=m[1],
                day=m[3],
            )
            if m[2] == "died"
            else _(
                "%(name)s left the district on %(day)s: nothing is recorded for them after it.",
                name=m[1],
                day=m[3],
            )
        ),
    ),
    (
        re.compile(r"^(.+) runs from (\S+) to (\S+): a session on (\S+) is outside it$"),
        lambda m: _(
            "%(course)s runs from %(first)s to %(last)s: a session on %(day)s is outside it.",
            course=m[1],
            first=m[2],
            last=m[3],
            day=m[4],
        ),
    ),
    (
        re.compile(r"^(.+) is held on (\S+): attendance is recorded once it is held$"),
        lambda m: _(
            "%(title)s is held on %(day)s: who came is ticked once it is held.",
            title=m[1],
            day=m[2],
        ),
    ),
    (
        re.compile(r"^(.+) ended on (\S+): no one enrols after it$"),
        lambda m: _("%(course)s ended on %(day)s: no one enrols after it.", course=m[1], day=m[2]),
    ),
    # the district's service contacts
    (
        re.compile(r"^the hotline '(.+)' is not a number to dial"),
        lambda m: _(
            "%(hotline)s is not a number to dial: use digits and dashes, such as 12349 or "
            "0571-85001234.",
            hotline=m[1],
        ),
    ),
    (
        re.compile(r"^the service guide's title is (\d+) characters; at most (\d+) fit"),
        lambda m: _(
            "The title is %(length)s characters: at most %(most)s fit on a form.",
            length=m[1],
            most=m[2],
        ),
    ),
    (
        re.compile(r"^the service contacts changed meanwhile"),
        lambda m: _("Someone changed them meanwhile; save again to set what you typed."),
    ),
    # reorganising communities
    (
        re.compile(r"^a merge takes two communities or more$"),
        lambda m: _("A merge takes two communities or more."),
    ),
    (
        re.compile(r"^the code (\S+) is taken already$"),
        lambda m: _("The code %(code)s is taken already.", code=m[1]),
    ),
    (re.compile(r"^give (\S+) a name$"), lambda m: _("Give %(code)s a name.", code=m[1])),
    (
        re.compile(r"^(\S+) is called (.+) already$"),
        lambda m: _("%(code)s is called %(name)s already.", code=m[1], name=m[2]),
    ),
    (
        re.compile(r"^(\S+) is a community already: list it among those merged, to keep it$"),
        lambda m: _(
            "%(code)s is a community already: tick it among those merged, to keep it.", code=m[1]
        ),
    ),
    (
        re.compile(r"^name the buildings, courtyards or groups, or the addresses, that go$"),
        lambda m: _("Name the buildings, courtyards or groups, or the addresses, that go."),
    ),
    (
        re.compile(r"^a (split|rename) takes one community"),
        lambda m: _("A split or a rename takes one community."),
    ),
    (
        re.compile(r"^reorganisation \S+ is being applied; wait until it is done$"),
        lambda m: _("Another reorganisation is being applied: wait until it is done."),
    ),
    (
        re.compile(r"^statistics can be asked for as of a time past, or now$"),
        lambda m: _("Statistics can be asked for as of a day past, or today."),
    ),
    (
        re.compile(r"^No .+ in your community\.$"),
        lambda m: _("Your community has no such record: it may be another community's."),
    ),
    (
        re.compile(r"^(?:national_id: )?check character is '(.)', expected '(.)'$"),
        lambda m: _(
            "The check character is %(found)s but should be %(expected)s: check the number.",
            found=m[1],
            expected=m[2],
        ),
    ),
    (
        re.compile(
            r"^(?:national_id: )?must be 18 characters \(or a legacy 15 digits\), got (\d+)$"
        ),
        lambda m: _("An ID number has 18 characters (or 15 digits); this one has %(n)s.", n=m[1]),
    ),
    (
        re.compile(r"^(?:national_id: )?the first 17 characters must be digits$"),
        lambda m: _("The first 17 characters of an ID number are digits."),
    ),
    (
        re.compile(r"^(?:national_id: )?a legacy 15-digit number must be digits only$"),
        lambda m: _("A 15-digit ID number has digits only."),
    ),
    (
        re.compile(r"^(?:national_id: )?address code (\d+) names no province"),
        lambda m: _("The address code %(code)s names no province.", code=m[1]),
    ),
    (
        re.compile(r"^(?:national_id: )?birth date (\d+) is not a date$"),
        lambda m: _("The birth date %(digits)s in the ID number is not a date.", digits=m[1]),
    ),
    (
        re.compile(r"^(?:national_id: )?birth year (\d+) is not plausible"),
        lambda m: _("The birth year %(year)s is not plausible.", year=m[1]),
    ),
    (
        re.compile(r"^An elder with this national ID number is already registered\.$"),
        lambda m: _("An elder with this ID number is already registered."),
    ),
    (
        re.compile(r"^birth_date \S+ disagrees with the ID number \((\S+)\)$"),
        lambda m: _("The birth date does not match the ID number (%(date)s).", date=m[1]),
    ),
    (
        re.compile(r"^sex '\w+' disagrees with the ID number \('(\w+)'\)$"),
        lambda m: _("The sex does not match the ID number."),
    ),
    (
        re.compile(r"^elders are registered from age (\d+); this person is (\d+)$"),
        lambda m: _(
            "Elders are registered from age %(min)s; this person is %(age)s.", min=m[1], age=m[2]
        ),
    ),
    (
        re.compile(r"^birth_date is in the future$"),
        lambda m: _("The birth date is in the future."),
    ),
    (
        re.compile(r"^unknown community '([^']*)'"),
        lambda m: _("There is no community %(name)s in the district.", name=m[1]),
    ),
    (
        re.compile(r"^a phone call is recorded but meets no obligation"),
        lambda m: _("A phone call meets no obligation: the elder must be visited in person."),
    ),
    (
        re.compile(r"^the visit \(\S+\) was before obligation \S+ opened"),
        lambda m: _("The visit was made before this obligation was opened."),
    ),
    (
        re.compile(r"^obligation \S+ is (met|cancelled), no longer open$"),
        lambda m: _("One of the obligations chosen is already met or cancelled."),
    ),
    (
        re.compile(r"^\S+ prepared this cycle and so cannot approve it"),
        lambda m: _("You prepared this cycle, so you cannot approve it: another approver must."),
    ),
    (
        re.compile(r"^\S+ reviewed this cycle and so cannot approve it"),
        lambda m: _("You reviewed this cycle, so you cannot approve it: another approver must."),
    ),
    # why intake rejected a row of a survey
    (
        re.compile(r"^the same ID number is on row (\d+)$"),
        lambda m: _("The same ID number is already on row %(row)s.", row=m[1]),
    ),
    (
        re.compile(r"^(?:national_id: )?the ID number is stored as a number \(([^)]*)\)"),
        lambda m: _(
            "The ID number is stored as a number (%(value)s), so its last digits are lost: "
            "format the ID number column as text, enter the numbers again and import the file "
            "once more.",
            value=m[1],
        ),
    ),
    (
        re.compile(r"^(?:\w+: )?'(.*)' is not yes/no"),
        lambda m: _("Write 是 or 否 (yes or no), not %(value)s.", value=m[1]),
    ),
    (
        re.compile(
            r"^the event's ID number (\S+) is not the elder's \((\S+)\): choose the elder "
            r"registered with it"
        ),
        lambda m: _(
            "The event's ID number %(event)s is not this elder's (%(elder)s): choose the elder "
            "registered with it, or ask a district administrator to apply it all the same.",
            event=m[1],
            elder=m[2],
        ),
    ),
    (
        re.compile(r"^the event's ID number (\S+) is not the elder's \((\S+)\): give the reason"),
        lambda m: _(
            "The event's ID number %(event)s is not this elder's (%(elder)s): give the reason "
            "for applying it to this elder all the same.",
            event=m[1],
            elder=m[2],
        ),
    ),
    (
        re.compile(r"^still no elder with this ID number"),
        lambda m: _(
            "No elder is registered with this ID number yet: register the elder first, or "
            "choose one found by name."
        ),
    ),
    (
        re.compile(r"^inbound event \S+ is not parked \(status: matched\)$"),
        lambda m: _("This event is no longer waiting: it is already matched to an elder."),
    ),
    (
        re.compile(r"^inbound event \S+ is not parked \(status: discarded\)$"),
        lambda m: _("This event is no longer waiting: it is already set aside."),
    ),
    # intake's history of a record, as the elder's timeline shows it
    (re.compile(r"^registered$"), lambda m: _("Registered")),
    (re.compile(r"^registered by import$"), lambda m: _("Registered from a survey import")),
    (re.compile(r"^updated \[(.*)\]$"), lambda m: _("Details changed: %(fields)s", fields=m[1])),
    (
        re.compile(r"^assessed: (\S+)$"),
        lambda m: _("Assessed: %(level)s", level=self_care_levels().get(m[1], m[1])),
    ),
    (
        re.compile(r"^died on (\S+), reported by (.+)$"),
        lambda m: _("Died on %(date)s (reported by %(by)s)", date=m[1], by=m[2]),
    ),
    (
        re.compile(r"^moved out of the district on (\S+)$"),
        lambda m: _("Moved out of the district on %(date)s", date=m[1]),
    ),
    (
        re.compile(r"^moved from (\S+) to (\S+) on (\S+)$"),
        lambda m: _("Moved from %(old)s to %(new)s on %(date)s", old=m[1], new=m[2], date=m[3]),
    ),
    (
        re.compile(r"^moved within (\S+) on (\S+)$"),
        lambda m: _("Moved house within %(community)s on %(date)s", community=m[1], date=m[2]),
    ),
    (
        re.compile(r"^death of (\S+) revoked \(reported in error\): (.+)$"),
        lambda m: _(
            "Death of %(date)s revoked (recorded in error): %(reason)s", date=m[1], reason=m[2]
        ),
    ),
    (
        re.compile(r"^returned to the district on (\S+) \(community (\S+)\)"),
        lambda m: _(
            "Returned to the district on %(date)s (%(community)s)", date=m[1], community=m[2]
        ),
    ),
    (
        re.compile(r"^identity correction proposed \(([^)]*)\): (.+)$"),
        lambda m: _(
            "Identity correction asked for (%(fields)s): %(reason)s", fields=m[1], reason=m[2]
        ),
    ),
    (
        re.compile(r"^identity correction approved \(([^)]*)\), proposed by (.+)$"),
        lambda m: _(
            "Identity correction approved (%(fields)s), asked for by %(user)s",
            fields=m[1],
            user=m[2],
        ),
    ),
    (
        re.compile(r"^identity correction rejected: (.+)$"),
        lambda m: _("Identity correction rejected: %(note)s", note=m[1]),
    ),
    (
        re.compile(r"^card (\S+) \((\S+)\) replaced by (\S+) \((\S+)\): upgrade$"),
        lambda m: _("Elder card %(old)s upgraded to %(new)s", old=m[1], new=m[3]),
    ),
    (
        re.compile(r"^(?:died_on|moved_on|returned_on) is before the elder's birth$"),
        lambda m: _("This is before the elder's birth."),
    ),
    (
        re.compile(r"^the elder already lives at that address$"),
        lambda m: _("The elder already lives at that address."),
    ),
    (
        re.compile(r"^a move within the same community needs the new address$"),
        lambda m: _("A move within the same community needs the new address."),
    ),
    (
        re.compile(r"^the elder's record is closed \(status: \w+\)$"),
        lambda m: _("The elder's record is closed: this change no longer applies."),
    ),
    (
        re.compile(r"^a Barthel score is 0 to 100$"),
        lambda m: _("A Barthel index score is 0 to 100."),
    ),
    (
        re.compile(r"^a national assessment level is 0 to 4$"),
        lambda m: _("A national assessment level is 0 to 4."),
    ),
    (
        re.compile(r"^a later assessment \((\S+)\) is already on record$"),
        lambda m: _("A later assessment (%(date)s) is already on record.", date=m[1]),
    ),
    (
        re.compile(r"^valid_until is before assessed_on$"),
        lambda m: _("This is before the date of the assessment."),
    ),
    (
        re.compile(r"^\S+ is not listed as a possible duplicate of this elder$"),
        lambda m: _("That record is not listed as a possible duplicate of this elder."),
    ),
    (
        re.compile(r"^confirmed distinct from \S+$"),
        lambda m: _("A possible duplicate confirmed as another person"),
    ),
    (
        re.compile(r"^merged into \S+$"),
        lambda m: _("Merged into another record of the same person"),
    ),
    (
        re.compile(r"^the elder was changed by someone else"),
        lambda m: _("Someone else changed the record meanwhile: check it and send again."),
    ),
    (
        re.compile(r"^the correction was proposed by (\S+); another district administrator"),
        lambda m: _(
            "You asked for this correction, so you cannot approve or reject it: "
            "another district administrator must."
        ),
    ),
    (
        re.compile(r"^birth_date \S+ disagrees with the (?:corrected )?ID number"),
        lambda m: _("The birth date does not match the ID number."),
    ),
    (
        re.compile(r"^sex '\w+' disagrees with the"),
        lambda m: _("The sex does not match the ID number."),
    ),
    (
        re.compile(r"^nothing to change: every value is already as given$"),
        lambda m: _("Nothing was changed."),
    ),
    (re.compile(r"^card (\S+) issued$"), lambda m: _("Elder card %(number)s issued", number=m[1])),
    (
        re.compile(r"^card (\S+) cancelled \((.+)\); (\S+) issued$"),
        lambda m: _(
            "Elder card %(old)s cancelled (%(reason)s); %(new)s issued",
            old=m[1],
            reason=m[2],
            new=m[3],
        ),
    ),
    (
        re.compile(r"^a password has at least (\d+) characters$"),
        lambda m: _("A password has at least %(n)s characters.", n=m[1]),
    ),
    (
        re.compile(r"^this password is one of the most common ones"),
        lambda m: _("This password is too common: choose another, e.g. several unrelated words."),
    ),
    (
        re.compile(r"^Too many failed sign-ins .* try again in (\d+) minute"),
        lambda m: _(
            "Too many failed sign-ins: try again in %(n)s minute(s), or ask the district "
            "administrator to reset the password.",
            n=m[1],
        ),
    ),
    # intake's history of a staff account, as the audit trail shows it
    (re.compile(r"^user created$"), lambda m: _("Staff account created")),
    (re.compile(r"^user changed$"), lambda m: _("Staff account changed")),
    (re.compile(r"^password reset$"), lambda m: _("Password reset")),
    (re.compile(r"^signed out$"), lambda m: _("Signed out")),
    (re.compile(r"^sign-in failed$"), lambda m: _("Sign-in failed")),
    (
        re.compile(r"^Missing data for required field\.$"),
        lambda m: _("This is required."),
    ),
    (re.compile(r"^Not a valid date\.$"), lambda m: _("Enter a real date.")),
    (re.compile(r"^Not a valid integer\.$"), lambda m: _("Enter a whole number.")),
    (re.compile(r"^Not a valid datetime\.$"), lambda m: _("Enter a real date and time.")),
    (re.compile(r"^not a phone number$"), lambda m: _("Enter a phone number.")),
    (re.compile(r"^an 11-digit mobile number$"), lambda m: _("Enter an 11-digit mobile number.")),
    (re.compile(r"^Must be one of: "), lambda m: _("Choose one of the options.")),
    (re.compile(r"^Length must be between"), lambda m: _("This is too short or too long.")),
    (re.compile(r"^Shorter than minimum length 1\.$"), lambda m: _("This is required.")),
    (
        re.compile(r"^visited_at is in the future|in the future$"),
        lambda m: _("This is in the future."),
    ),
    (
        re.compile(r"^home care began on (\d{4}-\d{2}-\d{2}); it cannot end before$"),
        lambda m: _("Home care began on %(day)s: it cannot end before that day.", day=m[1]),
    ),
    (
        re.compile(r"^the household is a home-care household already, since (\S+)$"),
        lambda m: _("The household is a home-care household already, since %(day)s.", day=m[1]),
    ),
    (
        re.compile(r"^the household is not a home-care household$"),
        lambda m: _("The household is not a home-care household."),
    ),
]


def in_language(message: str, field: str | None = None, choice: bool = False) -> str:
    """The message in the user's language; `field`, the label of the field it is about, makes
    a message that would be the same for every field say which one (to choose, for a field of
    options)."""
    if field:
        for pattern, of_field in OF_FIELD:
            if pattern.search(message):
                return _("Choose %(field)s.", field=field) if choice else of_field(field)
    for pattern, say in PATTERNS:
        found = pattern.search(message)
        if found:
            return say(found)
    return message


ROW_PART = re.compile(r"^(\w+(?:\.\w+)*): (.+)$")


def row_reason(reason: str, labels: Mapping[str, object]) -> str:
    """Why intake rejected a survey row, in the user's language: its parts are joined by "; ",
    each maybe "field: message" of a field that `labels` names."""
    said = in_language(reason)
    if said != reason:
        return said
    parts = []
    for part in reason.split("; "):
        named = ROW_PART.match(part)
        label = labels.get(named[1]) if named else None
        parts.append(in_language(named[2], str(label)) if named and label else in_language(part))
    return " ".join(parts)
