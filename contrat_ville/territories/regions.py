"""The regions of the Code officiel géographique since 1 January 2016 (INSEE codes) and their départements.

The platform reads a region's départements from the territory links when the official files were imported
(``v_departement_AAAA.csv`` links each département to its region); this table is the fallback for a platform where
only intercommunalities and communes were imported, so that a resource centre's region still finds its contracts.
"""

from __future__ import annotations

REGION_NAMES: dict[str, str] = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

REGION_DEPARTEMENTS: dict[str, frozenset[str]] = {
    "01": frozenset({"971"}),
    "02": frozenset({"972"}),
    "03": frozenset({"973"}),
    "04": frozenset({"974"}),
    "06": frozenset({"976"}),
    "11": frozenset({"75", "77", "78", "91", "92", "93", "94", "95"}),
    "24": frozenset({"18", "28", "36", "37", "41", "45"}),
    "27": frozenset({"21", "25", "39", "58", "70", "71", "89", "90"}),
    "28": frozenset({"14", "27", "50", "61", "76"}),
    "32": frozenset({"02", "59", "60", "62", "80"}),
    "44": frozenset({"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"}),
    "52": frozenset({"44", "49", "53", "72", "85"}),
    "53": frozenset({"22", "29", "35", "56"}),
    "75": frozenset({"16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"}),
    "76": frozenset({"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}),
    "84": frozenset({"01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"}),
    "93": frozenset({"04", "05", "06", "13", "83", "84"}),
    "94": frozenset({"2A", "2B"}),
}
