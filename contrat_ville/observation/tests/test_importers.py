"""Value importers on small real-format files, and their malformed variants (nothing written on error)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contrat_ville.contracts.tests.factories import make_contract
from contrat_ville.core.imports.errors import ImportFileError
from contrat_ville.core.models import ImportBatch
from contrat_ville.observation import services
from contrat_ville.observation.models import Indicator, IndicatorValue
from contrat_ville.observation.tests.factories import FIXTURES, build_tree, write_insee_workbook, write_long_workbook


@pytest.fixture
def tree(db):
    services.catalogue_load()
    return build_tree()


def value_of(code: str, territory, period: int, contract=None) -> IndicatorValue:
    return IndicatorValue.objects.get(indicator__code=code, territory=territory, period=period, contract=contract)


def assert_nothing_written() -> None:
    assert IndicatorValue.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def write(tmp_path: Path, name: str, content: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode(encoding))
    return path


class TestLongCsv:
    def test_type_territoire_column_and_comma_separator(self, tree, tmp_path):
        path = write(
            tmp_path,
            "valeurs.csv",
            "indicateur,territoire,periode,valeur,numerateur,denominateur,type_territoire\n"
            'DE-03,QN09601M,2021,"27,4",137,500,QPV\n'
            "DE-03,96001,2021,,90,1000,commune\n"
            "CS-02,QN09601M,2021,s,,,qpv\n"
            "CTX-01,QN09601M,2022,2450,,,qpv\n",
        )
        batch = services.values_import(path_or_file=path, fmt="long_csv")
        assert (batch.created_count, batch.replaced_count, batch.rejected_count) == (4, 0, 0)
        assert batch.importer == "long_csv"
        assert batch.source_file == "valeurs.csv"
        rate = value_of("DE-03", tree.qpv, 2021)
        assert (rate.value, rate.numerator, rate.denominator) == (27.4, 137, 500)
        # An empty value with numerator and denominator is computed in the indicator's unit (%).
        assert value_of("DE-03", tree.commune, 2021).value == pytest.approx(9.0)
        secret = value_of("CS-02", tree.qpv, 2021)
        assert secret.is_confidential
        assert secret.value is None
        assert value_of("CTX-01", tree.qpv, 2022).value == 2450


@pytest.fixture
def long_file(tree):
    return FIXTURES / "valeurs_long.csv"


def test_long_csv_fixture_with_skip_policy(tree, long_file):
    batch = services.values_import(
        path_or_file=long_file, fmt="long_csv", territory_kind="qpv", unknown_territories="skip"
    )
    # The commune line is rejected (96001 is not a QPV code); the empty CS-13 value is kept as « not available ».
    assert (batch.created_count, batch.rejected_count) == (4, 1)
    assert batch.ignored == ["96001 (qpv)"]
    assert value_of("CTX-01", tree.qpv, 2021).value == 2450
    assert value_of("DE-03", tree.qpv, 2021).value == 27.4
    assert value_of("CS-02", tree.qpv, 2021).is_confidential
    missing = value_of("CS-13", tree.qpv, 2022)
    assert missing.value is None
    assert not missing.is_confidential


def test_long_csv_strict_lists_unknown_territories(tree, long_file):
    with pytest.raises(ImportFileError) as error:
        services.values_import(path_or_file=long_file, fmt="long_csv", territory_kind="qpv")
    message = str(error.value)
    assert message.startswith("valeurs_long.csv, ligne 4, colonne territoire : territoire « 96001 » (qpv) inconnu.")
    assert "demandez d'ignorer les territoires inconnus" in message
    assert message.endswith("Aucune donnée n'a été importée.")
    assert_nothing_written()


class TestMalformedLongCsv:
    HEADER = "indicateur;territoire;periode;valeur\n"

    def run(self, tmp_path, body: str, **options):
        path = write(tmp_path, "valeurs.csv", self.HEADER + body)
        with pytest.raises(ImportFileError) as error:
            services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv", **options)
        assert_nothing_written()
        return str(error.value)

    def test_bad_number_names_line_and_column(self, tree, tmp_path):
        message = self.run(tmp_path, "CTX-01;QN09601M;2021;2450\nCTX-01;QN09601M;2020;12a\n")
        assert message.startswith("valeurs.csv, ligne 3, colonne valeur : « 12a » n'est pas un nombre")

    def test_unknown_indicator(self, tree, tmp_path):
        message = self.run(tmp_path, "ZZ-99;QN09601M;2021;1\n")
        assert "ligne 2, colonne indicateur" in message
        assert "« ZZ-99 » absent du catalogue" in message

    def test_unknown_territories_are_listed(self, tree, tmp_path):
        message = self.run(tmp_path, "CTX-01;QN09699X;2021;1\nCTX-01;QN09698Y;2021;1\nCTX-01;QN09601M;2021;1\n")
        assert "valeurs.csv, ligne 2, colonne territoire : territoire « QN09699X » (qpv) inconnu." in message
        assert "valeurs.csv, ligne 3, colonne territoire : territoire « QN09698Y » (qpv) inconnu." in message
        assert "Fichier refusé, 2 erreurs." in message

    def test_period_out_of_range(self, tree, tmp_path):
        message = self.run(tmp_path, "CTX-01;QN09601M;1850;1\n")
        assert "ligne 2, colonne periode : année invalide « 1850 »" in message

    def test_duplicate_key(self, tree, tmp_path):
        message = self.run(tmp_path, "CTX-01;QN09601M;2021;1\nCTX-02;QN09601M;2021;1\nctx-01;QN09601M;2021;2\n")
        assert "ligne 4, colonne territoire : valeur en double" in message
        assert "déjà donnée ligne 2" in message

    def test_missing_column(self, tree, tmp_path):
        path = write(tmp_path, "valeurs.csv", "indicateur;territoire;valeur\nCTX-01;QN09601M;1\n")
        with pytest.raises(ImportFileError, match="ligne 1, colonne periode : colonne « periode » absente"):
            services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv")
        assert_nothing_written()

    def test_windows_1252_is_detected(self, tree, tmp_path):
        path = write(
            tmp_path,
            "valeurs.csv",
            "indicateur;territoire;période;valeur\nCTX-01;QN09601M;2021;1\n",
            encoding="cp1252",
        )
        batch = services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv")
        assert batch.created_count == 1

    def test_wrong_encoding(self, tree, tmp_path):
        path = tmp_path / "valeurs.csv"
        path.write_bytes(self.HEADER.encode() + b"CTX-01;QN09601M;2021;1\nCTX-01;Q\x81\xe9;2021;1\n")
        with pytest.raises(ImportFileError) as error:
            services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv")
        assert "valeurs.csv, ligne 3, colonne territoire : encodage invalide (octet 0x81)" in str(error.value)
        assert "UTF-8" in str(error.value)
        assert_nothing_written()

    def test_truncated_line(self, tree, tmp_path):
        message = self.run(tmp_path, "CTX-01;QN09601M;2021\n")
        assert "ligne 2, colonne valeur : 3 champs au lieu de 4" in message

    def test_no_kind(self, tree, tmp_path):
        path = write(tmp_path, "valeurs.csv", self.HEADER + "CTX-01;QN09601M;2021;1\n")
        with pytest.raises(ImportFileError, match="type_territoire"):
            services.values_import(path_or_file=path, fmt="long_csv")
        assert_nothing_written()


def test_reimport_replaces_values(tree, tmp_path):
    header = "indicateur;territoire;periode;valeur\n"
    first = write(tmp_path, "v1.csv", header + "CTX-01;QN09601M;2021;2450\nCTX-01;QN09601M;2020;2400\n")
    second = write(tmp_path, "v2.csv", header + "CTX-01;QN09601M;2021;2500\nCTX-01;QN09601M;2019;2300\n")
    services.values_import(path_or_file=first, fmt="long_csv", territory_kind="qpv")
    batch = services.values_import(path_or_file=second, fmt="long_csv", territory_kind="qpv")
    assert (batch.created_count, batch.replaced_count) == (1, 1)
    assert value_of("CTX-01", tree.qpv, 2021).value == 2500
    assert value_of("CTX-01", tree.qpv, 2021).batch_id == batch.pk
    assert IndicatorValue.objects.count() == 3


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 2 rows, so that a few lines exercise the streaming paths (and PostgreSQL's pipeline)."""
    monkeypatch.setattr("contrat_ville.observation.importers.writer.CHUNK_SIZE", 2)
    monkeypatch.setattr("contrat_ville.observation.importers.writer.PIPELINE_CHUNK", 2)


def test_streaming_chunks_import_and_replace(tree, tmp_path, small_chunks):
    lines = "".join(f"CTX-01;QN09601M;{year};{year - 2000}\n" for year in range(2010, 2017))
    path = write(tmp_path, "v.csv", "indicateur;territoire;periode;valeur\n" + lines)
    batch = services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv")
    assert (batch.created_count, batch.replaced_count) == (7, 0)
    extra = "CTX-01;QN09601M;2017;17\n"
    path.write_text("indicateur;territoire;periode;valeur\n" + lines.replace(";16\n", ";99\n") + extra)
    again = services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv")
    assert (again.created_count, again.replaced_count) == (1, 7)
    assert value_of("CTX-01", tree.qpv, 2016).value == 99
    assert IndicatorValue.objects.count() == 8


def test_streaming_chunks_find_duplicates_across_chunks(tree, tmp_path, small_chunks):
    body = "CTX-01;QN09601M;2010;1\nCTX-01;QN09601M;2011;1\nCTX-01;QN09601M;2012;1\nCTX-01;QN09601M;2010;2\n"
    path = write(tmp_path, "v.csv", "indicateur;territoire;periode;valeur\n" + body)
    with pytest.raises(ImportFileError, match=r"ligne 5, colonne territoire : valeur en double .*2010"):
        services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv")
    assert_nothing_written()


def test_private_values_do_not_touch_public_ones(tree, tmp_path):
    contract = make_contract()
    path = write(tmp_path, "v.csv", "indicateur;territoire;periode;valeur\nCS-13;QN09601M;2022;42\n")
    services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv")
    batch = services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv", contract=contract)
    assert (batch.created_count, batch.replaced_count) == (1, 0)
    assert batch.scope == contract
    again = services.values_import(path_or_file=path, fmt="long_csv", territory_kind="qpv", contract=contract)
    assert (again.created_count, again.replaced_count) == (0, 1)
    assert IndicatorValue.objects.filter(contract=contract).count() == 1
    assert IndicatorValue.objects.filter(contract=None).count() == 1


class TestInseeCsv:
    def test_rp_iris_file_with_decimal_commas_and_several_vintages(self, tree):
        batch = services.values_import(
            path_or_file=FIXTURES / "base-ic-activite-residents-2021.CSV", fmt="insee_csv", mapping="rp_activite"
        )
        assert batch.vintage == "2021"
        assert batch.producer == "Insee"
        employment = value_of("DE-01", tree.iris_a, 2021)
        assert employment.numerator == pytest.approx(702.9)
        assert employment.denominator == pytest.approx(1210.4)
        assert employment.value == pytest.approx(100 * 702.9 / 1210.4)
        assert value_of("DE-01F", tree.iris_a, 2021).value == pytest.approx(100 * 327.5 / 612.2)
        assert value_of("DE-03H", tree.iris_b, 2021).value == pytest.approx(100 * 148.4 / 560.4)
        # The 2015 columns of the same file give the 2015 period; secret cells make confidential values.
        assert value_of("DE-03", tree.iris_a, 2015).value == pytest.approx(100 * 99.8 / 790.1)
        secret = value_of("DE-03", tree.iris_c, 2015)
        assert secret.is_confidential
        assert secret.value is None and secret.numerator is None
        # 3 IRIS, 7 indicators in 2021 (no 15-24 columns) + 3 IRIS, 2 indicators in 2015.
        assert batch.created_count == 27

    def test_mapping_is_found_from_the_columns(self, tree):
        batch = services.values_import(path_or_file=FIXTURES / "BASE_TD_FILO_IRIS_2021_DISP.csv", fmt="insee_csv")
        assert batch.created_count == 12
        assert value_of("CS-01", tree.iris_b, 2021).value == 12350
        assert value_of("CS-02", tree.iris_b, 2021).value == pytest.approx(47.8)
        assert value_of("CS-03", tree.iris_a, 2021).value == pytest.approx(3.4)
        assert value_of("CS-01", tree.iris_c, 2021).is_confidential

    def test_commune_file_with_codgeo(self, tree):
        batch = services.values_import(path_or_file=FIXTURES / "cc_filosofi_2021_COM.csv", fmt="insee_csv")
        assert batch.created_count == 8
        assert value_of("CS-01", tree.commune2, 2021).value == 23010

    def test_bad_number_names_line_and_column(self, tree, tmp_path):
        content = (FIXTURES / "BASE_TD_FILO_IRIS_2021_DISP.csv").read_text().replace("12350", "12 35O")
        path = write(tmp_path, "BASE_TD_FILO_IRIS_2021_DISP.csv", content)
        with pytest.raises(ImportFileError) as error:
            services.values_import(path_or_file=path, fmt="insee_csv")
        assert str(error.value).startswith(
            "BASE_TD_FILO_IRIS_2021_DISP.csv, ligne 3, colonne DISP_MED21 : « 12 35O » n'est pas un nombre"
        )
        assert_nothing_written()

    def test_unknown_iris(self, tree, tmp_path):
        content = (FIXTURES / "BASE_TD_FILO_IRIS_2021_DISP.csv").read_text().replace("960020101", "960029999")
        path = write(tmp_path, "filo.csv", content)
        with pytest.raises(
            ImportFileError, match=r"ligne 4, colonne IRIS : territoire « 960029999 » \(iris\) inconnu"
        ):
            services.values_import(path_or_file=path, fmt="insee_csv")
        assert_nothing_written()

    def test_missing_code_column(self, tree, tmp_path):
        path = write(tmp_path, "filo.csv", "CODE;DISP_MED21\n960010101;12000\n")
        with pytest.raises(ImportFileError, match="colonne du code géographique absente"):
            services.values_import(path_or_file=path, fmt="insee_csv")
        assert_nothing_written()

    def test_no_mapped_column(self, tree, tmp_path):
        path = write(tmp_path, "filo.csv", "IRIS;AUTRE21\n960010101;12000\n")
        with pytest.raises(ImportFileError, match="aucune colonne ne correspond"):
            services.values_import(path_or_file=path, fmt="insee_csv")
        with pytest.raises(ImportFileError, match="table « rp_activite »"):
            services.values_import(path_or_file=path, fmt="insee_csv", mapping="rp_activite")
        assert_nothing_written()

    def test_duplicate_territory(self, tree, tmp_path):
        path = write(tmp_path, "filo.csv", "IRIS;DISP_MED21\n960010101;12000\n960010102;13000\n960010101;12500\n")
        with pytest.raises(ImportFileError, match=r"ligne 4, colonne code géographique : valeur en double .* ligne 2"):
            services.values_import(path_or_file=path, fmt="insee_csv")
        assert_nothing_written()

    def test_unknown_indicator_in_catalogue(self, tree):
        Indicator.objects.filter(code="CS-04").delete()
        with pytest.raises(ImportFileError, match="« CS-04 » absent"):
            services.values_import(path_or_file=FIXTURES / "BASE_TD_FILO_IRIS_2021_DISP.csv", fmt="insee_csv")
        assert_nothing_written()


QPV_CODES = ["CODGEO", "LIBGEO", "POP_MUN", "TX_TOT_EMPL", "TX_F_EMPL", "TP60"]


class TestInseeXlsx:
    def test_qpv_workbook_with_header_on_row_6(self, tree, tmp_path):
        path = write_insee_workbook(
            tmp_path / "DEMO_2021.xlsx",
            sheets=[
                ("QP", QPV_CODES, [["QN09601M", "Les Tours", 2450, 41.2, "s", 44.5]]),
                ("COM", QPV_CODES, [["96001", "Sornac-Ville", 11230, 58.3, 55.1, 21.5]]),
            ],
        )
        batch = services.values_import(path_or_file=path, fmt="insee_xlsx", mapping="qpv_indicateurs", vintage="2021")
        assert batch.created_count == 8
        assert value_of("CTX-01", tree.qpv, 2021).value == 2450
        assert value_of("DE-01", tree.qpv, 2021).value == pytest.approx(41.2)
        assert value_of("DE-01F", tree.qpv, 2021).is_confidential
        assert value_of("CS-02", tree.commune, 2021).value == pytest.approx(21.5)

    def test_vintage_is_required_when_columns_have_none(self, tree, tmp_path):
        path = write_insee_workbook(tmp_path / "q.xlsx", sheets=[("QP", QPV_CODES, [["QN09601M", "x", 1, 1, 1, 1]])])
        with pytest.raises(ImportFileError, match="feuille « QP », ligne 6, colonne POP_MUN : millésime absent"):
            services.values_import(path_or_file=path, fmt="insee_xlsx", mapping="qpv_indicateurs")
        assert_nothing_written()

    def test_bad_number_names_sheet_row_and_column(self, tree, tmp_path):
        path = write_insee_workbook(
            tmp_path / "q.xlsx", sheets=[("QP", QPV_CODES, [["QN09601M", "Les Tours", 2450, "41,2 %", 1, 1]])]
        )
        with pytest.raises(ImportFileError) as error:
            services.values_import(path_or_file=path, fmt="insee_xlsx", mapping="qpv_indicateurs", vintage="2021")
        assert "q.xlsx, feuille « QP », ligne 7, colonne TX_TOT_EMPL (D) : « 41,2 % » n'est pas un nombre" in str(
            error.value
        )
        assert_nothing_written()

    def test_rp_workbook_with_vintage_in_columns(self, tree, tmp_path):
        codes = ["IRIS", "REG", "DEP", "COM", "LIBIRIS", "P19_POP", "P19_POP6074", "P19_POP75P", "P19_POP0019"]
        path = write_insee_workbook(
            tmp_path / "base-ic-evol-struct-pop-2019.xlsx",
            sheets=[("IRIS", codes, [["960010101", "84", "96", "96001", "Centre", 2500.5, 300.1, 200.0, 650.2]])],
        )
        batch = services.values_import(path_or_file=path, fmt="insee_xlsx")
        assert batch.vintage == "2019"
        assert value_of("CTX-01", tree.iris_a, 2019).value == pytest.approx(2500.5)
        assert value_of("CTX-03", tree.iris_a, 2019).value == pytest.approx(650.2 / 500.1)
        assert value_of("CTX-06", tree.iris_a, 2019).value == pytest.approx(100 * 500.1 / 2500.5)

    def test_not_a_workbook(self, tree, tmp_path):
        path = write(tmp_path, "q.xlsx", "not a workbook")
        with pytest.raises(ImportFileError, match=r"le fichier est un fichier texte \(CSV\), pas un classeur Excel"):
            services.values_import(path_or_file=path, fmt="insee_xlsx")
        assert_nothing_written()


class TestLongXlsx:
    def test_imports_the_long_format(self, tree, tmp_path):
        path = write_long_workbook(
            tmp_path / "partenaires.xlsx",
            [["CS-13", "QN09601M", 2022, 35, None, None], ["CS-08", "QN09601M", 2022.0, None, 41, 50]],
        )
        batch = services.values_import(path_or_file=path, fmt="long_xlsx", territory_kind="qpv")
        assert batch.created_count == 2
        assert value_of("CS-13", tree.qpv, 2022).value == 35
        assert value_of("CS-08", tree.qpv, 2022).value == pytest.approx(82.0)

    def test_errors_name_the_sheet(self, tree, tmp_path):
        path = write_long_workbook(tmp_path / "p.xlsx", [["CS-13", "QN09601M", 2022, "beaucoup", None, None]])
        with pytest.raises(ImportFileError, match=r"p\.xlsx, feuille « valeurs », ligne 4, colonne valeur"):
            services.values_import(path_or_file=path, fmt="long_xlsx", territory_kind="qpv")
        assert_nothing_written()


def test_uploaded_file_object(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("envoi.csv", b"indicateur;territoire;periode;valeur\nCS-13;QN09601M;2022;12\n")
    batch = services.values_import(path_or_file=upload, fmt="long_csv", territory_kind="qpv")
    assert batch.source_file == "envoi.csv"
    assert batch.created_count == 1


def test_progress_callback(tree):
    seen: list[int] = []
    services.values_import(
        path_or_file=FIXTURES / "base-ic-activite-residents-2021.CSV", fmt="insee_csv", progress=seen.append
    )
    assert seen[-1] == 27


class TestCommand:
    def test_imports_and_prints_counts(self, tree):
        out, err = StringIO(), StringIO()
        call_command(
            "import_indicator_values",
            str(FIXTURES / "BASE_TD_FILO_IRIS_2021_DISP.csv"),
            "--format",
            "insee_csv",
            "--progress",
            stdout=out,
            stderr=err,
        )
        assert "12 créé(s), 0 mis à jour, 0 remplacé(s), 0 rejeté(s)" in out.getvalue()
        assert "valeurs lues" in err.getvalue()

    def test_error_becomes_command_error(self, tree, tmp_path):
        path = write(tmp_path, "v.csv", "indicateur;territoire;periode;valeur\nCS-13;QN09601M;2022;x\n")
        with pytest.raises(CommandError, match="ligne 2, colonne valeur"):
            call_command("import_indicator_values", str(path), "--format", "long_csv", "--kind", "qpv")
        assert_nothing_written()

    def test_private_import_by_contract_slug(self, tree, tmp_path):
        contract = make_contract()
        path = write(tmp_path, "v.csv", "indicateur;territoire;periode;valeur\nCS-13;QN09601M;2022;3\n")
        call_command(
            "import_indicator_values",
            str(path),
            "--format",
            "long_csv",
            "--kind",
            "qpv",
            "--contract",
            contract.slug,
            stdout=StringIO(),
        )
        assert IndicatorValue.objects.get().contract == contract

    def test_catalogue_command(self, db):
        out = StringIO()
        call_command("load_indicator_catalogue", stdout=out)
        assert Indicator.objects.filter(code="DE-01F").exists()
        assert "indicateurs" in out.getvalue()
