"""What each generation of contract starts with (domain.md §1.3 and §2; design.md §4).

These are defaults copied into a contract when it is created, so that a contract can add a local
pillar or priority without any schema change and nothing is hard-wired to one generation.
"""

from dataclasses import dataclass
from datetime import date

from contrat_ville.contracts.enums import Generation


@dataclass(frozen=True)
class TermDefault:
    code: str
    label: str
    objective: str


NATIONAL_PILLARS: tuple[TermDefault, ...] = (
    TermDefault(
        "cohesion_sociale",
        "Cohésion sociale",
        "Réduire la pauvreté et favoriser l'égalité des chances pour les habitants des quartiers prioritaires, "
        "en portant une attention particulière aux jeunes et aux femmes et en intégrant la lutte contre les "
        "discriminations.",
    ),
    TermDefault(
        "cadre_de_vie",
        "Cadre de vie et renouvellement urbain",
        "Améliorer de façon significative la vie quotidienne des habitants des quartiers prioritaires, en intégrant "
        "l'habitat, la mobilité des habitants et la prévention de la délinquance.",
    ),
    TermDefault(
        "developpement_economique",
        "Développement économique et emploi",
        "Réduire les écarts de taux d'emploi entre les territoires prioritaires et l'agglomération de référence, en "
        "particulier au bénéfice des jeunes et des femmes.",
    ),
)

TRANSVERSAL_AXES: tuple[TermDefault, ...] = (
    TermDefault(
        "egalite_femmes_hommes",
        "Égalité femmes-hommes",
        "Priorité transversale obligatoire : cadre de référence du CGET (aujourd'hui ANCT).",
    ),
    TermDefault("jeunesse", "Jeunesse", "Priorité transversale obligatoire : plan priorité jeunesse."),
    TermDefault(
        "lutte_discriminations",
        "Lutte contre les discriminations",
        "Priorité transversale obligatoire : prévention de toutes les discriminations.",
    ),
)


@dataclass(frozen=True)
class GenerationDefaults:
    generation: str
    qpv_vintage: str
    pillars: tuple[TermDefault, ...]
    axes: tuple[TermDefault, ...]
    default_start: date
    default_end: date
    pillars_mandatory: bool
    # R13-R14 (domain.md §10): the 2015 framework has the steering committee decide on stakes only once they were
    # debated with the conseils citoyens; the 2024 generation leaves the form of participation to the contract.
    councils_debate_required: bool


GENERATION_DEFAULTS: dict[str, GenerationDefaults] = {
    Generation.G2015: GenerationDefaults(
        generation=Generation.G2015,
        qpv_vintage="2015",
        pillars=NATIONAL_PILLARS,
        axes=TRANSVERSAL_AXES,
        default_start=date(2015, 1, 1),
        default_end=date(2023, 12, 31),
        pillars_mandatory=True,
        councils_debate_required=True,
    ),
    # 2024-2030: priorities are defined locally; the three pillars are offered as a starting point.
    Generation.G2024: GenerationDefaults(
        generation=Generation.G2024,
        qpv_vintage="2024",
        pillars=NATIONAL_PILLARS,
        axes=TRANSVERSAL_AXES,
        default_start=date(2024, 1, 1),
        default_end=date(2030, 12, 31),
        pillars_mandatory=False,
        councils_debate_required=False,
    ),
}
