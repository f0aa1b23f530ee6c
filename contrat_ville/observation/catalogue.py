"""The indicator kit of the platform (domain.md §7.4): ~40 indicators across the context and the three pillars.

Built from confirmed INSEE variables (data-formats.md §2.4, §3, §6) rather than the SIG Ville 2014 kit,
whose list was not found. Indicators published by sex are split (``DE-01`` all, ``DE-01F`` women,
``DE-01H`` men), so that each figure has its own series, gaps and objectives.

``services.catalogue_load()`` writes this list into ``Indicator`` (update_or_create by code).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contrat_ville.observation.enums import Aggregation, Direction, Theme
from contrat_ville.territories.enums import TerritoryKind

K = TerritoryKind
# Census (RP) and Filosofi are published from the IRIS up; the reference zones are computed by INSEE too.
IRIS_UP = (K.IRIS, K.QPV, K.COMMUNE, K.EPCI, K.UNITE_URBAINE, K.DEPARTEMENT, K.REGION, K.FRANCE)
QPV_UP = (K.QPV, K.COMMUNE, K.EPCI, K.UNITE_URBAINE, K.DEPARTEMENT, K.REGION, K.FRANCE)
COMMUNE_UP = (K.COMMUNE, K.EPCI, K.DEPARTEMENT, K.REGION, K.FRANCE)
LOCAL = (K.QPV, K.COMMUNE)

RP = "Recensement de la population (RP)"
RP_COMPLEMENTARY = "Recensement de la population (RP), exploitation complémentaire"
FILOSOFI = "Fichier localisé social et fiscal (Filosofi)"
INSEE = "Insee"
INSEE_DGFIP = "Insee-DGFiP-Cnaf-Cnav-CCMSA"

THEMES_BY_PREFIX = {
    "CTX": Theme.CONTEXT,
    "CS": Theme.COHESION_SOCIALE,
    "DE": Theme.DEVELOPPEMENT_ECONOMIQUE,
    "CV": Theme.CADRE_DE_VIE,
}


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str
    unit: str
    definition: str
    direction: str
    aggregation: str
    source: str
    producer: str
    levels: tuple[str, ...]
    numerator_label: str = ""
    denominator_label: str = ""
    decimals: int = 1
    order: int = 0
    theme: str = field(default="")

    def model_fields(self, order: int) -> dict[str, object]:
        """The ``Indicator`` fields, with the theme read from the code prefix and the order from the list."""
        return {
            "label": self.label,
            "theme": self.theme or THEMES_BY_PREFIX[self.code.split("-")[0]],
            "unit": self.unit,
            "definition": self.definition,
            "numerator_label": self.numerator_label,
            "denominator_label": self.denominator_label,
            "source": self.source,
            "producer": self.producer,
            "direction": self.direction,
            "levels": [str(level) for level in self.levels],
            "aggregation": self.aggregation,
            "decimals": self.decimals,
            "order": self.order or order,
        }


UP, DOWN, CTX = Direction.HIGHER_IS_BETTER, Direction.LOWER_IS_BETTER, Direction.CONTEXT
SUM, RATIO, NONE = Aggregation.SUM, Aggregation.RATIO, Aggregation.NONE


def _by_sex(
    code: str, label: str, *, numerator: str, denominator: str, definition: str, **common: object
) -> list[IndicatorSpec]:
    """The indicator for everyone, then for women (``F``) and men (``H``)."""
    specs = [
        IndicatorSpec(
            code=code,
            label=label,
            definition=definition,
            numerator_label=numerator,
            denominator_label=denominator,
            **common,  # type: ignore[arg-type]
        )
    ]
    for suffix, who in (("F", "femmes"), ("H", "hommes")):
        specs.append(
            IndicatorSpec(
                code=f"{code}{suffix}",
                label=f"{label} des {who}",
                definition=f"{definition} Calculé sur les {who}.",
                numerator_label=f"{numerator} ({who})",
                denominator_label=f"{denominator} ({who})",
                **common,  # type: ignore[arg-type]
            )
        )
    return specs


CATALOGUE: tuple[IndicatorSpec, ...] = (
    # --- Contexte -------------------------------------------------------------------------------------------
    IndicatorSpec(
        code="CTX-01",
        label="Population municipale",
        unit="hab.",
        definition="Nombre de personnes ayant leur résidence habituelle sur le territoire.",
        direction=CTX,
        aggregation=SUM,
        source=f"{RP} ; populations légales des quartiers prioritaires",
        producer=INSEE,
        levels=IRIS_UP,
        decimals=0,
    ),
    IndicatorSpec(
        code="CTX-02",
        label="Part des moins de 25 ans",
        unit="%",
        definition="Part des habitants âgés de moins de 25 ans dans la population.",
        numerator_label="habitants de moins de 25 ans",
        denominator_label="population",
        direction=CTX,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CTX-03",
        label="Indice de jeunesse",
        unit="ratio",
        definition="Rapport du nombre d'habitants de moins de 20 ans à celui des habitants de 60 ans ou plus.",
        numerator_label="habitants de moins de 20 ans",
        denominator_label="habitants de 60 ans ou plus",
        direction=CTX,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
        decimals=2,
    ),
    IndicatorSpec(
        code="CTX-04",
        label="Part des étrangers",
        unit="%",
        definition="Part des personnes de nationalité étrangère dans la population.",
        numerator_label="habitants de nationalité étrangère",
        denominator_label="population",
        direction=CTX,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CTX-05",
        label="Part des familles monoparentales",
        unit="%",
        definition="Part des familles monoparentales parmi les familles.",
        numerator_label="familles monoparentales",
        denominator_label="familles",
        direction=CTX,
        aggregation=RATIO,
        source=RP_COMPLEMENTARY,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CTX-06",
        label="Part des 60 ans ou plus",
        unit="%",
        definition="Part des habitants âgés de 60 ans ou plus dans la population.",
        numerator_label="habitants de 60 ans ou plus",
        denominator_label="population",
        direction=CTX,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    # --- Cohésion sociale -------------------------------------------------------------------------------------
    IndicatorSpec(
        code="CS-01",
        label="Niveau de vie médian",
        unit="€",
        definition=(
            "Médiane du revenu disponible par unité de consommation (niveau de vie annuel). Une médiane ne "
            "s'agrège pas : elle est recalculée par l'Insee pour chaque territoire."
        ),
        direction=UP,
        aggregation=NONE,
        source=FILOSOFI,
        producer=INSEE_DGFIP,
        levels=IRIS_UP,
        decimals=0,
    ),
    IndicatorSpec(
        code="CS-02",
        label="Taux de pauvreté (seuil à 60 %)",
        unit="%",
        definition=("Part des personnes dont le niveau de vie est inférieur à 60 % du niveau de vie médian national."),
        numerator_label="personnes sous le seuil de pauvreté",
        denominator_label="personnes des ménages fiscaux",
        direction=DOWN,
        aggregation=NONE,
        source=FILOSOFI,
        producer=INSEE_DGFIP,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CS-03",
        label="Rapport interdécile du niveau de vie",
        unit="ratio",
        definition="Rapport du 9e décile (D9) au 1er décile (D1) du niveau de vie : mesure des inégalités.",
        numerator_label="9e décile du niveau de vie",
        denominator_label="1er décile du niveau de vie",
        direction=DOWN,
        aggregation=NONE,
        source=FILOSOFI,
        producer=INSEE_DGFIP,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CS-04",
        label="Part des prestations sociales dans le revenu disponible",
        unit="%",
        definition="Part des prestations sociales (familiales, logement, minima sociaux) dans le revenu disponible.",
        numerator_label="prestations sociales (€)",
        denominator_label="revenu disponible (€)",
        direction=CTX,
        aggregation=RATIO,
        source=FILOSOFI,
        producer=INSEE_DGFIP,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CS-05",
        label="Part de la population couverte par la CAF",
        unit="%",
        definition="Part des personnes couvertes par au moins une prestation de la caisse d'allocations familiales.",
        numerator_label="personnes couvertes par la CAF",
        denominator_label="population",
        direction=CTX,
        aggregation=RATIO,
        source="Caisse nationale des allocations familiales (via l'Insee)",
        producer="Cnaf",
        levels=QPV_UP,
    ),
    IndicatorSpec(
        code="CS-06",
        label="Allocataires dépendant des prestations",
        unit="%",
        definition="Part des allocataires dont les prestations représentent au moins 50 % des ressources.",
        numerator_label="allocataires dont le revenu dépend à 50 % ou plus des prestations",
        denominator_label="allocataires",
        direction=DOWN,
        aggregation=RATIO,
        source="Caisse nationale des allocations familiales (via l'Insee)",
        producer="Cnaf",
        levels=QPV_UP,
    ),
    IndicatorSpec(
        code="CS-07",
        label="Couverture par la complémentaire santé solidaire",
        unit="%",
        definition="Part de la population bénéficiaire de la complémentaire santé solidaire (C2S, ex-CMU-C).",
        numerator_label="bénéficiaires de la C2S",
        denominator_label="population",
        direction=CTX,
        aggregation=RATIO,
        source="Caisse nationale d'assurance maladie (via l'Insee)",
        producer="Cnam",
        levels=QPV_UP,
    ),
    IndicatorSpec(
        code="CS-08",
        label="Taux de réussite au diplôme national du brevet",
        unit="%",
        definition="Part des candidats admis parmi les candidats présents au diplôme national du brevet.",
        numerator_label="candidats admis",
        denominator_label="candidats présents",
        direction=UP,
        aggregation=RATIO,
        source="Résultats du diplôme national du brevet",
        producer="DEPP (ministère de l'Éducation nationale)",
        levels=QPV_UP,
    ),
    IndicatorSpec(
        code="CS-09",
        label="Part des non-diplômés",
        unit="%",
        definition=("Part des personnes de 15 ans ou plus non scolarisées titulaires au plus du brevet des collèges."),
        numerator_label="non-scolarisés de 15 ans ou plus sans diplôme ou avec le brevet",
        denominator_label="non-scolarisés de 15 ans ou plus",
        direction=DOWN,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CS-10",
        label="Taux de scolarisation des 15-24 ans",
        unit="%",
        definition="Part des jeunes de 15 à 24 ans inscrits dans un établissement d'enseignement.",
        numerator_label="jeunes de 15 à 24 ans scolarisés",
        denominator_label="jeunes de 15 à 24 ans",
        direction=UP,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CS-11",
        label="Jeunes ni en emploi ni en formation",
        unit="%",
        definition="Part des jeunes de 16 à 25 ans ni en emploi, ni en études, ni en formation.",
        numerator_label="jeunes de 16 à 25 ans ni en emploi ni en formation",
        denominator_label="jeunes de 16 à 25 ans",
        direction=DOWN,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=QPV_UP,
    ),
    IndicatorSpec(
        code="CS-12",
        label="Densité de médecins généralistes",
        unit="‱",
        definition="Nombre de médecins généralistes pour 10 000 habitants.",
        numerator_label="médecins généralistes",
        denominator_label="population",
        direction=UP,
        aggregation=RATIO,
        source="Base permanente des équipements (BPE)",
        producer=INSEE,
        levels=QPV_UP,
    ),
    IndicatorSpec(
        code="CS-13",
        label="Enfants suivis dans un parcours de réussite éducative",
        unit="nb",
        definition="Nombre d'enfants bénéficiant d'un parcours individualisé du programme de réussite éducative.",
        direction=CTX,
        aggregation=SUM,
        source="Porteur du programme de réussite éducative (donnée locale)",
        producer="porteur local",
        levels=LOCAL,
        decimals=0,
    ),
    # --- Développement économique et emploi -------------------------------------------------------------------
    *_by_sex(
        "DE-01",
        "Taux d'emploi des 15-64 ans",
        numerator="actifs occupés de 15 à 64 ans",
        denominator="population de 15 à 64 ans",
        definition="Part des personnes de 15 à 64 ans ayant un emploi.",
        unit="%",
        direction=UP,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="DE-02",
        label="Taux d'activité des femmes de 15-64 ans",
        unit="%",
        definition="Part des femmes de 15 à 64 ans actives (en emploi ou au chômage).",
        numerator_label="femmes actives de 15 à 64 ans",
        denominator_label="femmes de 15 à 64 ans",
        direction=UP,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    *_by_sex(
        "DE-03",
        "Taux de chômage des 15-64 ans",
        numerator="chômeurs de 15 à 64 ans",
        denominator="actifs de 15 à 64 ans",
        definition="Part des chômeurs (au sens du recensement) parmi les actifs de 15 à 64 ans.",
        unit="%",
        direction=DOWN,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="DE-04",
        label="Taux de chômage des 15-24 ans",
        unit="%",
        definition="Part des chômeurs (au sens du recensement) parmi les actifs de 15 à 24 ans.",
        numerator_label="chômeurs de 15 à 24 ans",
        denominator_label="actifs de 15 à 24 ans",
        direction=DOWN,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="DE-05",
        label="Demandeurs d'emploi de catégories A, B, C",
        unit="nb",
        definition=(
            "Demandeurs d'emploi inscrits en fin de période : sans emploi (A), en activité réduite courte "
            "(B, 78 heures ou moins) ou longue (C, plus de 78 heures dans le mois)."
        ),
        direction=DOWN,
        aggregation=SUM,
        source="Statistiques du marché du travail (STMT)",
        producer="France Travail - Dares",
        levels=(K.QPV, K.COMMUNE, K.EPCI, K.DEPARTEMENT, K.REGION, K.FRANCE),
        decimals=0,
    ),
    IndicatorSpec(
        code="DE-06",
        label="Part des jeunes parmi les demandeurs d'emploi",
        unit="%",
        definition="Part des moins de 26 ans parmi les demandeurs d'emploi de catégories A, B, C.",
        numerator_label="demandeurs d'emploi A, B, C de moins de 26 ans",
        denominator_label="demandeurs d'emploi A, B, C",
        direction=CTX,
        aggregation=RATIO,
        source="Statistiques du marché du travail (STMT)",
        producer="France Travail - Dares",
        levels=(K.QPV, K.COMMUNE, K.EPCI, K.DEPARTEMENT, K.REGION, K.FRANCE),
    ),
    IndicatorSpec(
        code="DE-07",
        label="Part des demandeurs d'emploi de longue durée",
        unit="%",
        definition="Part des demandeurs d'emploi A, B, C inscrits depuis au moins un an.",
        numerator_label="demandeurs d'emploi A, B, C inscrits depuis un an ou plus",
        denominator_label="demandeurs d'emploi A, B, C",
        direction=DOWN,
        aggregation=RATIO,
        source="Statistiques du marché du travail (STMT)",
        producer="France Travail - Dares",
        levels=(K.QPV, K.COMMUNE, K.EPCI, K.DEPARTEMENT, K.REGION, K.FRANCE),
    ),
    IndicatorSpec(
        code="DE-08",
        label="Part des emplois précaires",
        unit="%",
        definition=(
            "Part des salariés en contrat à durée déterminée, intérim, apprentissage ou emploi aidé parmi les "
            "salariés de 15 ans ou plus."
        ),
        numerator_label="salariés en emploi précaire",
        denominator_label="salariés de 15 ans ou plus",
        direction=DOWN,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="DE-09",
        label="Part des ouvriers et employés parmi les actifs occupés",
        unit="%",
        definition="Part des ouvriers et des employés parmi les actifs occupés de 15 à 64 ans.",
        numerator_label="ouvriers et employés en emploi",
        denominator_label="actifs occupés",
        direction=CTX,
        aggregation=RATIO,
        source=RP_COMPLEMENTARY,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="DE-10",
        label="Densité d'établissements",
        unit="‰",
        definition="Nombre d'établissements (industrie, commerce, services) pour 1 000 habitants.",
        numerator_label="établissements actifs",
        denominator_label="population",
        direction=UP,
        aggregation=RATIO,
        source="Répertoire des entreprises et des établissements (Sirene), géolocalisé",
        producer=INSEE,
        levels=QPV_UP,
    ),
    IndicatorSpec(
        code="DE-11",
        label="Créations d'entreprises",
        unit="nb",
        definition="Nombre d'entreprises créées dans l'année.",
        direction=UP,
        aggregation=SUM,
        source="Répertoire des entreprises et des établissements (Sirene)",
        producer=INSEE,
        levels=QPV_UP,
        decimals=0,
    ),
    # --- Cadre de vie et renouvellement urbain -----------------------------------------------------------------
    IndicatorSpec(
        code="CV-01",
        label="Part des logements sociaux (HLM)",
        unit="%",
        definition="Part des résidences principales louées vides à un organisme HLM.",
        numerator_label="résidences principales louées HLM",
        denominator_label="résidences principales",
        direction=CTX,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CV-02",
        label="Part du parc social situé en quartier prioritaire",
        unit="%",
        definition="Part des logements sociaux de la commune ou de l'EPCI situés dans un quartier prioritaire.",
        numerator_label="logements sociaux en quartier prioritaire",
        denominator_label="logements sociaux",
        direction=CTX,
        aggregation=RATIO,
        source="Répertoire des logements locatifs des bailleurs sociaux (RPLS)",
        producer="SDES",
        levels=COMMUNE_UP,
    ),
    IndicatorSpec(
        code="CV-03",
        label="Taux de vacance du parc social",
        unit="%",
        definition="Part des logements sociaux proposés à la location qui sont vacants.",
        numerator_label="logements sociaux vacants",
        denominator_label="logements sociaux proposés à la location",
        direction=DOWN,
        aggregation=RATIO,
        source="Répertoire des logements locatifs des bailleurs sociaux (RPLS)",
        producer="SDES",
        levels=(K.QPV, *COMMUNE_UP),
    ),
    IndicatorSpec(
        code="CV-04",
        label="Part des résidences principales suroccupées",
        unit="%",
        definition="Part des résidences principales comptant moins de pièces que la norme d'occupation.",
        numerator_label="résidences principales suroccupées",
        denominator_label="résidences principales",
        direction=DOWN,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=QPV_UP,
    ),
    IndicatorSpec(
        code="CV-05",
        label="Part des ménages sans voiture",
        unit="%",
        definition="Part des ménages ne disposant d'aucune voiture.",
        numerator_label="ménages sans voiture",
        denominator_label="ménages",
        direction=CTX,
        aggregation=RATIO,
        source=RP,
        producer=INSEE,
        levels=IRIS_UP,
    ),
    IndicatorSpec(
        code="CV-06",
        label="Incivilités signalées dans les parties communes",
        unit="nb",
        definition="Nombre d'incidents signalés dans les halls et parties communes des immeubles dans l'année.",
        direction=DOWN,
        aggregation=SUM,
        source="Bailleurs sociaux, police municipale (donnée locale)",
        producer="partenaires locaux",
        levels=LOCAL,
        decimals=0,
    ),
)

CODES = frozenset(spec.code for spec in CATALOGUE)
BY_CODE = {spec.code: spec for spec in CATALOGUE}


def catalogue_rows() -> list[tuple[str, dict[str, object]]]:
    """(code, Indicator fields) in catalogue order, ordered by tens (10, 20…) to leave room for local ones."""
    return [(spec.code, spec.model_fields((index + 1) * 10)) for index, spec in enumerate(CATALOGUE)]
