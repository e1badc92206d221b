from dialogues.organisation.models.imports import OrganisationImport
from dialogues.organisation.models.people import Person, RoleAssignment
from dialogues.organisation.models.units import Unit

__all__ = ["OrganisationImport", "Person", "RoleAssignment", "Unit"]
