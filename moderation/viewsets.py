from wagtail.admin.panels import ObjectList
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import DepartmentForm
from .organisation import Department
from .setup import remove_department_group

ORGANISATION_MENU_HOOK = "register_organisation_menu_item"


class DepartmentDeleteView(DeleteView):
    def delete_action(self):
        group = self.object.group
        super().delete_action()
        remove_department_group(group)


class DepartmentViewSet(ModelViewSet):
    model = Department
    delete_view_class = DepartmentDeleteView
    icon = "group"
    menu_label = "部门"
    name = "departments"
    list_display = ["name", "kind", "supervising_leader", "sort_order"]
    list_filter = ["kind"]
    search_fields = ["name", "public_name"]
    edit_handler = ObjectList(Department.panels, base_form_class=DepartmentForm)


class OrganisationGroup(ViewSetGroup):
    """组织机构: departments, leadership roles and the column mapping, edited by the administrator."""

    menu_label = "组织机构"
    menu_icon = "group"
    menu_order = 250
    submenu_hook = ORGANISATION_MENU_HOOK
    items = (DepartmentViewSet,)
