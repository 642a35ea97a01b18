"""Import kinds of the core registers: councils, terms, agencies, delegates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from councilportal.councils.forms import AgencyForm, CouncilForm, DelegateForm, TermForm
from councilportal.models import (
    Agency,
    AgencyKind,
    Council,
    CouncilLevel,
    Delegate,
    Gender,
    Organ,
    Role,
    RoleAssignment,
    Term,
)
from councilportal.spreadsheets.importing import (
    DATE,
    ImportColumn,
    ImportKind,
    add_note,
    by_natural_key,
    choice,
    council_column,
    match_on,
    register_import,
    yes_no,
)
from councilportal.typing import User

register_import(
    ImportKind(
        key="councils",
        register="core:council-list",
        label=_("Councils"),
        model=Council,
        form_class=CouncilForm,
        match=match_on(Council, code="code"),
        match_rule="Mã HĐND",
        columns=[
            ImportColumn("Mã HĐND", "code", True, "chữ, số và dấu gạch ngang", "HY-TT"),
            ImportColumn("Tên HĐND", "name", True, "", "HĐND xã Tân Tiến"),
            ImportColumn(
                "Cấp", "level", True, "Tỉnh / Huyện / Xã", "Xã", choice(CouncilLevel.choices)
            ),
            ImportColumn(
                "Mã HĐND cấp trên",
                "parent",
                False,
                "mã đã có",
                "HY",
                by_natural_key(Council, "code"),
                out="parent.code",
            ),
            ImportColumn("Địa danh ghi trên văn bản", "place_name", True, "", "Tân Tiến"),
            ImportColumn(
                "Tên đơn vị hành chính (in hoa)", "administrative_name", True, "", "XÃ TÂN TIẾN"
            ),
            ImportColumn("Hiệu lực từ ngày", "valid_from", False, DATE, "01/07/2025"),
            ImportColumn("Hiệu lực đến ngày", "valid_to", False, DATE, ""),
            ImportColumn("Địa chỉ", "address", False, "", ""),
            ImportColumn("Điện thoại", "phone", False, "", ""),
            ImportColumn("Thư điện tử", "email", False, "", ""),
        ],
    )  # fmt: skip
)


# Terms first among a council's records: delegates and sessions name their term.
register_import(
    ImportKind(
        key="terms",
        register="core:term-list",
        label=_("Terms"),
        model=Term,
        form_class=TermForm,
        match=match_on(Term, council_id="council", ordinal="ordinal", numbers=["ordinal"]),
        match_rule="Mã HĐND + Khóa (số)",
        columns=[
            council_column(),
            ImportColumn("Khóa (số)", "ordinal", True, "số thứ tự của khóa, ví dụ 17", "17"),
            ImportColumn("Tên khóa", "name", True, "", "Khóa XVII"),
            ImportColumn("Ngày bắt đầu", "start_date", True, DATE, "01/07/2021"),
            ImportColumn("Ngày kết thúc", "end_date", True, DATE, "30/06/2026"),
        ],
    )  # fmt: skip
)


register_import(
    ImportKind(
        key="agencies",
        register="core:agency-list",
        label=_("Agencies"),
        model=Agency,
        form_class=AgencyForm,
        match=match_on(Agency, council_id="council", name="name"),
        match_rule="Mã HĐND + Tên cơ quan",
        columns=[
            council_column(),
            ImportColumn("Tên cơ quan", "name", True, "", "Sở Tư pháp tỉnh Hưng Yên"),
            ImportColumn("Tên viết tắt", "short_name", False, "", "STP"),
            ImportColumn(
                "Loại cơ quan",
                "kind",
                True,
                "xem danh mục loại cơ quan",
                "Sở, cơ quan thuộc Ủy ban nhân dân",
                choice(AgencyKind.choices),
            ),
            ImportColumn("Thủ trưởng", "head_name", False, "", ""),
            ImportColumn("Địa chỉ", "address", False, "", ""),
            ImportColumn("Điện thoại", "phone", False, "", ""),
            ImportColumn("Thư điện tử", "email", False, "", ""),
            ImportColumn("Còn hoạt động", "is_active", False, "Có / Không", "Có", yes_no),
            # Last, so that older sheets still fit; without it an update would clear the parent.
            ImportColumn(
                "Cơ quan cấp trên",
                "parent",
                False,
                "tên cơ quan đã có của cùng HĐND",
                "",
                by_natural_key(Agency, "name", council="council"),
                out="parent.name",
            ),
        ],
    )  # fmt: skip
)


register_import(
    ImportKind(
        key="delegates",
        register="core:delegate-list",
        label=_("Delegates"),
        model=Delegate,
        form_class=DelegateForm,
        match=match_on(
            Delegate, term_id="term", full_name="full_name", electoral_unit="electoral_unit"
        ),
        match_rule="Mã HĐND + Khóa + Họ và tên + Đơn vị bầu cử",
        columns=[
            ImportColumn(
                "Mã HĐND", "council_code", True, "mã đã có", "HY", out="term.council.code"
            ),
            ImportColumn(
                "Khóa (số)",
                "term",
                True,
                "số thứ tự của khóa, ví dụ 17",
                "17",
                by_natural_key(Term, "ordinal", council__code="council_code"),
                out="term.ordinal",
            ),
            ImportColumn("Họ và tên", "full_name", True, "", "Nguyễn Văn An"),
            ImportColumn("Giới tính", "gender", False, "Nam / Nữ", "Nam", choice(Gender.choices)),
            ImportColumn("Ngày sinh", "birth_date", False, DATE, "12/05/1975"),
            ImportColumn("Chức vụ, nơi công tác", "position", False, "", ""),
            ImportColumn("Đơn vị bầu cử", "electoral_unit", True, "", "Đơn vị bầu cử số 1"),
            ImportColumn(
                "Tổ đại biểu",
                "delegate_group",
                False,
                "tên tổ đã có",
                "",
                by_natural_key(Organ, "name", term_id="term"),
                out="delegate_group.name",
            ),
            ImportColumn("Chuyên trách", "is_full_time", False, "Có / Không", "Không", yes_no),
            ImportColumn("Bắt đầu nhiệm vụ", "start_date", True, DATE, "01/07/2021"),
            ImportColumn("Thôi nhiệm vụ", "end_date", False, DATE, ""),
            ImportColumn("Lý do thôi nhiệm vụ", "end_reason", False, "", ""),
            ImportColumn("Điện thoại", "phone", False, "", ""),
            ImportColumn("Thư điện tử", "email", False, "", ""),
        ],
    )  # fmt: skip
)


# Users and their roles -----------------------------------------------------------------------
# A province rolling out to its communes creates every login at once. Only an administrator
# (the Administrator role, over their council and the councils below; or a superuser) imports
# users, for those councils only. No password is ever in the file: a new user gets an unusable
# password and a one-time link to set one, shown once after the import.


def manageable_councils(user: User) -> Any:
    """The councils whose users this user manages (administrators: their subtrees)."""
    from django.db.models import Q

    if getattr(user, "is_superuser", False):
        return Council.objects.all()
    paths = list(
        RoleAssignment.objects.filter(user_id=user.pk or 0, role=Role.ADMIN).values_list(
            "council__path", flat=True
        )
    )
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__subtree=path)
    return Council.objects.filter(query)


class UserRoleImportForm(forms.Form):
    """One row: a user (created when new) and one role on one council."""

    username = forms.CharField(label=_("username"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("e-mail"), required=False)
    council = forms.ModelChoiceField(label=_("council"), queryset=Council.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)

    def __init__(self, *args: Any, instance: Any = None, user: User, **kwargs: Any) -> None:
        if instance is not None:
            kwargs["initial"] = {
                "username": instance.user.username,
                "full_name": instance.user.first_name,
                "email": instance.user.email,
                "council": instance.council_id,
                "role": instance.role,
            }
        super().__init__(*args, **kwargs)
        self.instance = instance
        self.user = user
        council_field: Any = self.fields["council"]
        council_field.queryset = manageable_councils(user)
        self.fields["username"].validators.append(UnicodeUsernameValidator())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        username = data.get("username")
        if not username:
            return data
        existing = get_user_model().objects.filter(username=username).first()
        if existing is None:
            return data
        # An existing login is changed only when every council it works for is one this
        # administrator manages: never a superuser, never someone of another council.
        managed = set(manageable_councils(self.user).values_list("pk", flat=True))
        roles = set(RoleAssignment.objects.filter(user=existing).values_list("council", flat=True))
        if existing.is_superuser or existing.is_staff or not roles <= managed:
            self.add_error(
                "username",
                gettext(
                    "This username belongs to a user of councils you do not manage; choose "
                    "another username."
                ),
            )
        return data


def _user_role_match(values: dict[str, Any]) -> Any:
    council = values.get("council")
    if not isinstance(council, int):
        return None
    return (
        RoleAssignment.objects.filter(
            user__username=values.get("username", ""), council_id=council, role=values.get("role")
        )
        .select_related("user")
        .first()
    )


def _set_password_link(user: User) -> str:
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "password-set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{user.username}: {path}"


def _user_role_save(form: Any, by: User) -> RoleAssignment:
    data = form.cleaned_data
    users = get_user_model()
    user = users.objects.filter(username=data["username"]).first()
    if user is None:
        user = users(username=data["username"], email=data["email"], first_name=data["full_name"])
        user.set_unusable_password()
        user.save()
        created = user
        add_note(lambda: _set_password_link(users.objects.get(pk=created.pk)))
    else:
        changed = False
        for attr, name in (("email", "email"), ("first_name", "full_name")):
            if data[name] and getattr(user, attr) != data[name]:
                setattr(user, attr, data[name])
                changed = True
        if changed:
            user.save(update_fields=["email", "first_name"])
    role, _created = RoleAssignment.objects.get_or_create(
        user=user, council=data["council"], role=data["role"]
    )
    return role


register_import(
    ImportKind(
        key="users",
        register="",
        allowed=lambda user: manageable_councils(user).exists(),
        refusal=_("Only an administrator imports users and their roles."),
        label=_("Users and roles"),
        model=RoleAssignment,
        form_class=UserRoleImportForm,
        match=_user_role_match,
        match_rule="Tên đăng nhập + Mã HĐND + Vai trò",
        save=_user_role_save,
        columns=[
            ImportColumn(
                "Tên đăng nhập", "username", True, "chữ, số và . @ + - _", "chuyenvien.tt"
            ),
            ImportColumn("Họ và tên", "full_name", False, "", "Nguyễn Thị Hoa"),
            ImportColumn("Thư điện tử", "email", False, "", "hoa@tantien.hungyen.gov.vn"),
            council_column("mã đã có, thuộc phạm vi bạn quản trị", "HY-TT"),
            ImportColumn(
                "Vai trò",
                "role",
                True,
                "Chuyên viên / Lãnh đạo / Cán bộ xử lý đơn thư (bảo mật) / Đại biểu / "
                "Quản trị viên",
                "Chuyên viên",
                choice(Role.choices),
            ),
        ],
    )  # fmt: skip
)
