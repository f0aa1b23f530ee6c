from types import SimpleNamespace

import pytest

from contrat_ville.core.registries import (
    DecisionTarget,
    HomePanel,
    NavigationEntry,
    PhaseStatusRule,
    Registry,
    contribute,
    decision_targets,
    home_panels,
    members_only,
    navigation_entries,
    phase_status_rules,
    sorted_entries,
)


def test_register_get_iterate_and_unregister():
    registry: Registry[NavigationEntry] = Registry("essai")
    entry = NavigationEntry(label="Accueil", url_name="app:home")
    assert registry.register("home", entry) is entry
    assert "home" in registry
    assert registry.get("home") is entry
    assert registry.keys() == ["home"]
    assert list(registry) == [entry]
    assert len(registry) == 1
    registry.unregister("home")
    assert "home" not in registry
    assert registry.get("home") is None
    registry.unregister("home")  # unregistering twice is harmless


def test_registering_the_same_entry_twice_is_idempotent():
    registry: Registry[NavigationEntry] = Registry("essai")
    entry = NavigationEntry(label="Accueil", url_name="app:home")
    registry.register("home", entry)
    registry.register("home", entry)
    assert len(registry) == 1


def test_registering_another_entry_under_a_taken_key_is_refused():
    registry: Registry[NavigationEntry] = Registry("essai")
    registry.register("home", NavigationEntry(label="Accueil", url_name="app:home"))
    with pytest.raises(ValueError, match="déjà enregistré"):
        registry.register("home", NavigationEntry(label="Autre", url_name="app:other"))


def test_sorted_entries_orders_by_order_then_label():
    registry: Registry[NavigationEntry] = Registry("essai")
    registry.register("c", NavigationEntry(label="Zèbre", url_name="app:c", order=10))
    registry.register("b", NavigationEntry(label="Bilan", url_name="app:b", order=20))
    registry.register("a", NavigationEntry(label="Actions", url_name="app:a", order=20))
    assert [entry.label for entry in sorted_entries(registry)] == ["Zèbre", "Actions", "Bilan"]


def test_entries_are_visible_by_default():
    assert NavigationEntry(label="Accueil", url_name="app:home").is_visible(None) is True
    panel = HomePanel(title="Chiffres clés", template="x.html", get_context=lambda contract, membership: {})
    assert panel.is_visible(None) is True


def test_installed_apps_fill_the_navigation_at_start_up():
    # The contracts app registers its entries in its AppConfig.ready() (keys are plain strings: no import).
    assert "contracts.home" in navigation_entries
    assert all(isinstance(entry, NavigationEntry) for entry in navigation_entries)
    assert all(isinstance(panel, HomePanel) for panel in home_panels)


def test_contribute_registers_each_kind_under_its_key():
    entry = NavigationEntry("Essai", "app:home", order=99)
    panel = HomePanel("Essai", "essai.html", lambda contract, access: {})
    target = DecisionTarget("essai.objet", "un objet d'essai")
    rule = PhaseStatusRule("9.9", "Règle d'essai.", lambda contract: None)
    try:
        contribute(
            navigation={"essai-nav": entry}, panels={"essai-panel": panel}, targets=[target], phase_rules=[rule]
        )
        assert navigation_entries.get("essai-nav") is entry
        assert home_panels.get("essai-panel") is panel
        assert decision_targets.get("essai.objet") is target
        assert phase_status_rules.get("9.9") is rule
    finally:
        navigation_entries.unregister("essai-nav")
        home_panels.unregister("essai-panel")
        decision_targets.unregister("essai.objet")
        phase_status_rules.unregister("9.9")


def test_members_only_shows_to_members():
    assert members_only(SimpleNamespace(is_member=True))
    assert not members_only(SimpleNamespace(is_member=False))
    assert not members_only(None)
