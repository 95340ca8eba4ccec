"""The vocabulary of rating-era inspection reports (``inspection.yaml``): read by the report's
reader (:mod:`extractor.inspection`) and by :mod:`extractor.runtogether`, which sets apart the
lines it looks for where a text ran them together."""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from extractor import taxonomy as tx

__all__ = ["InspectionVocabulary", "inspection_vocabulary"]


class InspectionVocabulary(BaseModel):
    """The words of ``inspection.yaml`` (its comments say what each is for)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    questions: list[str]
    service_questions: list[str]
    key_questions: dict[str, list[str]]
    overall: list[str]
    population_groups: dict[str, list[str]]
    group_rating_labels: list[str]
    all_population_groups: list[str]
    sections: dict[str, list[str]]
    section_starts: dict[str, list[str]]
    boilerplate: list[str]
    report_title: list[str]
    visit_label: list[str]
    publication_label: list[str]
    restating: list[str]
    actions: dict[str, list[str]]
    finding: str  # read by extractor.regfindings
    finding_subjects: list[str]
    finding_objects: list[str]
    findings_list: list[str]

    def group_forms(self) -> list[str]:
        """Every printed name of the population groups: their names and variants."""
        return [n for name, forms in self.population_groups.items() for n in [name, *forms]]

    def group_of(self) -> dict[str, str]:
        """Match key of each printed name of a population group -> the group's name."""
        return {tx.match_key(n): name for name, forms in self.population_groups.items() for n in [name, *forms]}


@lru_cache(maxsize=1)
def inspection_vocabulary() -> InspectionVocabulary:
    """``inspection.yaml``, validated."""
    vocab: InspectionVocabulary = tx.load_validated(InspectionVocabulary, "inspection.yaml")
    return vocab
