"""The five melding flows as data: which question (slot) comes when, and what kind of answer it takes.

Fields come from ``actions/meldingen/types.yml`` (kinds, choices, required flags, line sources); this module only
adds the order of the questions, when a question applies, the few questions of the *dialogue* that are not fields
of the melding (advice first, with or without name, who behaves this way), and the fields that are *derived* from
other answers rather than asked (the agressie form's "plaats" follows from the situation). The Dutch texts of all
questions are responses in ``domain_meldingen.yml`` (``utter_ask_<form>_<slot>``); ``actions/melding_flow_domain.py``
writes the slots, forms and rules from this spec and checks that every question has a response.

Slot names: ``melding_<flow>_<field>`` for fields, ``melding_<flow>_id_<field>`` for identity fields,
``melding_<flow>_<name>`` for dialogue questions. Control slots per flow: ``_bevestiging`` (summary + confirm),
``_wijzig`` (which answer to correct), ``_stoppen`` (confirm a stop that may have been an answer); helper slots
(never asked): ``_nonce``, ``_modus``, ``_selectie``, ``_snapshot``, ``_pending``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable, Mapping

from actions.meldingen.types import FieldSpec, MeldingType, get_type

Values = Mapping[str, Any]
Cond = Callable[[Values], bool]

CONTROL = ("stoppen", "wijzig", "bevestiging")
HELPERS = ("nonce", "modus", "selectie", "snapshot", "pending")
ACTIVE_SLOT = "melding_actief"  # which flow is running (selects the flow-specific anonymity answer)


@dataclass(frozen=True)
class Step:
    """One question of a flow."""

    name: str                      # field name (or dialogue name)
    source: str                    # "field" | "identity" | "dialogue"
    kind: str = ""                 # text | time | date | datetime | choice | multichoice | bool (from types.yml)
    required: bool | None = None   # None: from types.yml (required, or required_if when it applies)
    choices: tuple[tuple[str, str], ...] = ()  # (value, label); from types.yml for fields
    when: Cond | None = None       # ask only when this holds for the answers so far
    not_future: bool = False
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    max_length: int = 10_000

    def applies(self, values: Values) -> bool:
        return self.when is None or bool(self.when(values))


@dataclass(frozen=True)
class Derived:
    """A field of the melding that is filled from other answers instead of asked (asking would repeat a question)."""

    name: str
    compute: Callable[[Values], Any]  # answers so far -> value, or None (then the field stays empty)


@dataclass(frozen=True)
class Flow:
    key: str                     # misstand, agressie, …
    type_name: str               # types.yml name
    steps: tuple[Step, ...]
    identity_gate: Cond | None = None  # identity is sent when this holds (None: always, for required identity)
    derived: tuple[Derived, ...] = ()

    @property
    def form(self) -> str:
        return f"melding_{self.key}_form"

    @property
    def intent(self) -> str:
        return f"melding_{self.key}"

    @property
    def mtype(self) -> MeldingType:
        return get_type(self.type_name)

    def slot(self, name: str) -> str:
        """Slot of a step, a control or a helper."""
        step = self.step_by_name(name)
        if step is not None and step.source == "identity":
            return f"melding_{self.key}_id_{name}"
        return f"melding_{self.key}_{name}"

    def step_by_name(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def step_slot(self, step: Step) -> str:
        prefix = "id_" if step.source == "identity" else ""
        return f"melding_{self.key}_{prefix}{step.name}"

    def step_for_slot(self, slot: str) -> Step | None:
        return next((s for s in self.steps if self.step_slot(s) == slot), None)

    @property
    def step_slots(self) -> list[str]:
        return [self.step_slot(s) for s in self.steps]

    @property
    def control_slots(self) -> dict[str, str]:
        return {c: f"melding_{self.key}_{c}" for c in CONTROL}

    @property
    def helper_slots(self) -> dict[str, str]:
        return {h: f"melding_{self.key}_{h}" for h in HELPERS}

    @property
    def required_slots(self) -> list[str]:
        """The form's ``required_slots`` in the domain: the stop confirmation first, every question, then the
        correction menu and the confirmation. Which of them are asked is decided per turn by the validator."""
        c = self.control_slots
        return [c["stoppen"]] + self.step_slots + [c["wijzig"], c["bevestiging"]]

    @property
    def all_slots(self) -> list[str]:
        return self.required_slots + list(self.helper_slots.values())

    # -- resolved step properties (types.yml + overrides)
    def spec(self, step: Step) -> FieldSpec | None:
        mt = self.mtype
        if step.source == "field":
            return mt.field(step.name)
        if step.source == "identity":
            return next(f for f in mt.identity.fields if f.name == step.name)
        return None

    def kind(self, step: Step) -> str:
        if step.kind:
            return step.kind
        spec = self.spec(step)
        assert spec is not None, step.name
        if spec.kind == "text" and spec.pattern and "[0-5][0-9]" in spec.pattern:
            return "time"
        return spec.kind

    def choices(self, step: Step) -> tuple[tuple[str, str], ...]:
        if step.choices:
            return step.choices
        spec = self.spec(step)
        return tuple((c.value, c.label) for c in spec.choices) if spec else ()

    def is_required(self, step: Step, values: Values) -> bool:
        if step.required is not None:
            return step.required
        spec = self.spec(step)
        if spec is None:
            return True
        return spec.required or bool(spec.required_if and spec.required_if.holds(values))

    def required_when_asked(self, step: Step) -> bool:
        """Whether the question may be skipped at the moment it is asked (its condition then holds)."""
        if step.required is not None:
            return step.required
        spec = self.spec(step)
        return spec is None or spec.required or spec.required_if is not None

    def not_future(self, step: Step) -> bool:
        spec = self.spec(step)
        return step.not_future or bool(spec and spec.not_future)

    def label(self, step: Step) -> str:
        spec = self.spec(step)
        return spec.label if spec else step.name

    def max_length(self, step: Step) -> int:
        spec = self.spec(step)
        return min(step.max_length, spec.max_length) if spec else step.max_length

    def applicable(self, values: Values) -> list[Step]:
        return [s for s in self.steps if s.applies(values)]

    def identity_given(self, values: Values) -> bool:
        return True if self.identity_gate is None else bool(self.identity_gate(values))

    def with_derived(self, values: Values) -> dict[str, Any]:
        """The answers plus the derived fields (an answer given for a derived field is kept)."""
        out = dict(values)
        for d in self.derived:
            if out.get(d.name) is None:
                v = d.compute(out)
                if v is not None:
                    out[d.name] = v
        return out


# ------------------------------------------------------------------------------------------------ conditions

def eq(name: str, value: Any) -> Cond:
    return lambda v: v.get(name) == value


def has(name: str, value: Any) -> Cond:
    return lambda v: isinstance(v.get(name), (list, tuple)) and value in v[name]


def all_of(*conds: Cond) -> Cond:
    return lambda v: all(c(v) for c in conds)


def any_of(*conds: Cond) -> Cond:
    return lambda v: any(c(v) for c in conds)


# --------------------------------------------------------------------------------------------------- flows

MISSTAND = Flow(
    key="misstand", type_name="misstand",
    identity_gate=eq("met_naam", "ja"),
    steps=(
        # H3 art. 2 (l. 420-423): advice first; the user may continue or stop.
        Step("doorgaan", "dialogue", "choice", True, (("melden", "Ja, ik wil nu melden"),
                                                      ("advies", "Eerst (vertrouwelijk) advies"))),
        # H3 art. 3 lid 3 (l. 430-433), a field of the melding; plus H4 fase 1 (l. 605): when the
        # integriteitscoördinator is involved, the melding goes to the gemeentesecretaris (flow ends, nothing stored).
        Step("ontvanger", "field", required=True, choices=(
            ("integriteitscoordinator", "De integriteitscoördinator"),
            ("vertrouwenspersoon", "De vertrouwenspersoon"),
            ("leidinggevende", "Een hogere leidinggevende"),
            ("coordinator_betrokken", "De integriteitscoördinator is zelf betrokken")),
            synonyms={"integriteitscoordinator": ("integriteit", "coordinator"),
                      "leidinggevende": ("leidinggevende", "manager", "hogere")}),
        Step("omschrijving", "field"),
        Step("categorie", "field"),
        Step("grondslag", "field"),
        Step("wanneer", "field"),
        Step("waar", "field"),
        Step("betrokkenen", "field"),
        Step("documenten", "field"),
        Step("advies_ingewonnen", "field"),
        Step("extern_of_aangifte", "field"),
        # Art. 9 (l. 502-517): name only with consent; confidential; disclosed only with written consent (lid 3),
        # which is asked only when the name is given and must then be answered (no answer would mean "nee").
        Step("met_naam", "dialogue", "choice", True, (("ja", "Ja, met mijn naam"), ("nee", "Nee, zonder naam"))),
        Step("naam", "identity", when=eq("met_naam", "ja")),
        Step("contact", "identity", when=eq("met_naam", "ja")),
        Step("relatie", "identity", when=eq("met_naam", "ja")),
        Step("toestemming_bekendmaking", "identity", required=True, when=eq("met_naam", "ja")),
    ),
)

AGRESSIE_PLAATS = {"balie": "balie", "spreekkamer": "spreekkamer"}   # kanaal -> the form's "Plaats van het incident"
AGRESSIE_ELDERS = ("huisbezoek", "buitendienst", "prive", "anders")   # kanaal -> "elders, namelijk"


def _agressie_plaats(values: Values) -> str | None:
    """Bijlage 4A's place from the situation: balie / spreekkamer / elders; none for telephone or letter/mail."""
    kanaal = values.get("kanaal")
    return AGRESSIE_PLAATS.get(kanaal) or ("elders" if kanaal in AGRESSIE_ELDERS else None)


AGRESSIE = Flow(
    key="agressie", type_name="agressie",
    derived=(Derived("plaats", _agressie_plaats),),
    steps=(
        # H8: the situations with their own measures (telefoon l. 1168, schriftelijk l. 1179, balie l. 1208,
        # spreekkamer l. 1218, huisbezoek l. 1232, buitendienst l. 1244, privé l. 1240) and 1e/2e keer (R22).
        # Asked first: they decide the measures, and the form's "plaats" follows from the situation.
        Step("kanaal", "field", required=True,
             synonyms={"schriftelijk": ("brief", "mail", "e-mail", "email", "post", "schriftelijk"),
                       "telefoon": ("telefonisch", "telefoon", "gebeld", "aan de lijn"),
                       "huisbezoek": ("huisbezoek", "bedrijfsbezoek", "bij iemand thuis"),
                       "buitendienst": ("buitendienst", "buiten werktijd", "handhaving"),
                       "prive": ("prive", "straat", "privesituatie")}),
        Step("plaats_elders", "field", when=eq("plaats", "elders")),
        Step("herhaling", "field",
             synonyms={"eerste": ("eerste", "1e", "1"), "herhaling": ("tweede", "2e", "vaker", "weer", "opnieuw")}),
        Step("datum_incident", "field"),
        Step("tijdstip_incident", "field"),
        Step("soort_incident", "field", synonyms={
            "schelden": ("uitgescholden", "schold"), "schreeuwen": ("schreeuwde", "geschreeuwd"),
            "dreigen_schoppen_slaan": ("slaan", "schoppen"), "dreigen_voorwerp": ("voorwerp", "mes", "stoel"),
            "dreigen_familie": ("familie", "kinderen"), "vastpakken": ("vastgepakt", "pakte", "greep")}),
        Step("soort_incident_anders", "field", when=has("soort_incident", "anders")),
        Step("beschrijving", "field"),
        Step("letsel", "field"),
        Step("letsel_toelichting", "field", when=eq("letsel", True)),
        Step("ernstig_letsel", "field", when=eq("letsel", True)),
        Step("schade_persoonlijk", "field"),
        Step("schade_persoonlijk_toelichting", "field", when=eq("schade_persoonlijk", True)),
        Step("schade_gemeentelijk", "field"),
        Step("schade_gemeentelijk_toelichting", "field", when=eq("schade_gemeentelijk", True)),
        Step("aangifte", "field"),
        Step("aangifte_datum", "field", when=eq("aangifte", True)),
        Step("aangifte_toelichting", "field", when=eq("aangifte", False)),
        Step("veroorzaker_naam", "field"),
        Step("veroorzaker_geboortedatum", "field"),
        Step("veroorzaker_adres", "field"),
        Step("overige_opmerkingen", "field"),
        Step("naam", "identity"),
        Step("geslacht", "identity"),
        Step("geboortedatum", "identity"),
        Step("adres", "identity"),
        Step("postcode_woonplaats", "identity"),
        Step("functie", "identity"),
        Step("naam_leidinggevende", "identity"),
    ),
)

ONGEWENST_GEDRAG = Flow(
    key="ongewenst_gedrag", type_name="ongewenst_gedrag",
    identity_gate=any_of(eq("route", "klacht"), eq("met_naam", "ja")),
    steps=(
        # H5 (l. 689): behaviour of inwoners or derden falls under the agressieprotocol.
        Step("door_wie", "dialogue", "choice", True, (
            ("collega", "Iemand uit de organisatie (collega, leidinggevende)"),
            ("inwoner", "Een inwoner, klant of bezoeker")),
             synonyms={"collega": ("collega", "leidinggevende", "manager", "teamleider", "chef", "baas"),
                       "inwoner": ("inwoner", "klant", "bezoeker", "burger", "client")}),
        # H5 (l. 785): vertrouwenspersoon or klachtencommissie; the intake is opt-in ("info" stores nothing).
        Step("route", "field", choices=(
            ("vertrouwenspersoon", "Een melding bij de vertrouwenspersoon (opvang en advies)"),
            ("klacht", "Een formele klacht bij de Landelijke Klachtencommissie Ongewenst Gedrag"),
            ("info", "Alleen informatie, niets versturen")),
            synonyms={"vertrouwenspersoon": ("vertrouwenspersoon", "melding"), "klacht": ("klacht", "commissie"),
                      "info": ("informatie", "info", "niets versturen")}),
        Step("soort", "field"),
        Step("omschrijving", "field"),
        Step("datum", "field"),
        Step("tijd", "field"),
        Step("plaats", "field"),
        Step("omstandigheden", "field"),
        Step("aangeklaagde", "field"),
        Step("getuigen", "field"),
        Step("ondernomen_stappen", "field"),
        Step("met_naam", "dialogue", "choice", True, (("ja", "Ja, met mijn naam"), ("nee", "Nee, zonder naam")),
             when=eq("route", "vertrouwenspersoon")),
        Step("naam", "identity", when=any_of(eq("route", "klacht"), eq("met_naam", "ja"))),
        Step("adres", "identity", when=eq("route", "klacht")),
        Step("contact", "identity", when=any_of(eq("route", "klacht"), eq("met_naam", "ja"))),
        Step("functie_afdeling", "identity", when=any_of(eq("route", "klacht"), eq("met_naam", "ja"))),
    ),
)

ARBEIDSONGEVAL = Flow(
    key="arbeidsongeval", type_name="arbeidsongeval",
    steps=(
        Step("datum_ongeval", "field"),
        Step("tijdstip", "field"),
        Step("ernstig_letsel", "field"),   # asked early: it triggers the 24-hour Arbeidsinspectie duty (l. 3471)
        Step("plaats_ongeval", "field"),
        Step("omschrijving", "field"),
        Step("verwondingen", "field"),
        Step("verwondingen_welke", "field", when=eq("verwondingen", True)),
        Step("verzuim", "field", synonyms={"geen": ("geen", "niet", "nee"),
                                           "minder_dan_drie_dagen": ("1 dag", "2 dagen", "een dag", "twee dagen"),
                                           "drie_dagen_of_meer": ("3 dagen", "drie dagen", "week", "langer")}),
        Step("werkt_door", "field"),
        Step("gestaakt_sinds", "field", when=eq("werkt_door", False)),
        Step("artsbezoek", "field"),
        Step("getuigen", "field"),
        Step("getuigen_wie", "field", when=eq("getuigen", True)),
        Step("schade", "field"),
        Step("schade_toelichting", "field", when=eq("schade", True)),
        Step("derden", "field"),
        Step("derden_toelichting", "field", when=eq("derden", True)),
        Step("anderen_betrokken", "field"),
        Step("anderen_betrokken_toelichting", "field", when=eq("anderen_betrokken", True)),
        Step("veiligheidsvoorschrift", "field"),
        Step("veiligheidsvoorschrift_welke", "field", when=eq("veiligheidsvoorschrift", True)),
        Step("oorzaak", "field"),
        Step("maatregelen", "field"),
        Step("naam", "identity"),
        Step("geboortedatum", "identity"),
        Step("functie", "identity"),
        Step("afdeling", "identity"),
        Step("naam_leidinggevende", "identity"),   # Bijlage 12 l. 6311-6312
    ),
)

ONVEILIGE_SITUATIE = Flow(
    key="onveilige_situatie", type_name="onveilige_situatie",
    identity_gate=eq("met_naam", "ja"),
    steps=(
        Step("betreft", "field", synonyms={"bijna_ongeval": ("bijna", "near miss"),
                                           "onveilige_situatie": ("onveilig", "gevaarlijk")}),
        Step("datum", "field"),
        Step("tijdstip", "field"),
        Step("plaats", "field"),
        Step("beschrijving", "field"),
        Step("bijna_fout", "field"),
        Step("bijna_fout_toelichting", "field"),
        Step("gevolgen", "field"),
        Step("gevolgen_toelichting", "field"),
        Step("kans_herhaling", "field"),
        Step("maatregelen_genomen", "field"),
        Step("maatregelen_nodig", "field"),
        Step("effect_maatregelen", "field"),
        Step("met_naam", "dialogue", "choice", True, (("ja", "Ja, met mijn naam"), ("nee", "Nee, zonder naam"))),
        Step("naam", "identity", when=eq("met_naam", "ja")),
        Step("contact", "identity", when=eq("met_naam", "ja")),
    ),
)

FLOWS: dict[str, Flow] = {f.key: f for f in (MISSTAND, AGRESSIE, ONGEWENST_GEDRAG, ARBEIDSONGEVAL, ONVEILIGE_SITUATIE)}

# The receipt-code flow (not a melding type): status, replies, adding information.
STATUS_FORM = "melding_status_form"
STATUS_SLOTS = {"code": "melding_status_code", "vervolg": "melding_status_vervolg",
                "aanvulling": "melding_status_aanvulling"}
STATUS_HELPERS = {"pogingen": "melding_status_pogingen", "verstuurd": "melding_status_verstuurd"}
STATUS_CHOICES = (("aanvullen", "Informatie toevoegen"), ("klaar", "Klaar"))


@lru_cache(maxsize=None)
def flow_of_form(form: str) -> Flow | None:
    return next((f for f in FLOWS.values() if f.form == form), None)


def check_spec() -> list[str]:
    """Problems between this spec and types.yml (every field asked, every step known); empty when consistent."""
    problems: list[str] = []
    for flow in FLOWS.values():
        mt = flow.mtype
        names = {s.name for s in flow.steps if s.source == "field"}
        ids = {s.name for s in flow.steps if s.source == "identity"}
        derived = {d.name for d in flow.derived}
        for f in mt.fields:
            if f.name not in names | derived:
                problems.append(f"{flow.key}: veld {f.name} wordt niet gevraagd")
        for name in derived:
            if name not in {f.name for f in mt.fields}:
                problems.append(f"{flow.key}: afgeleid veld {name} is geen veld")
            elif name in names:
                problems.append(f"{flow.key}: afgeleid veld {name} wordt ook gevraagd")
        for f in mt.identity.fields:
            if f.name not in ids:
                problems.append(f"{flow.key}: identiteitsveld {f.name} wordt niet gevraagd")
        for s in flow.steps:
            try:
                if s.source in ("field", "identity"):
                    flow.spec(s)
            except (KeyError, StopIteration):
                problems.append(f"{flow.key}: stap {s.name} is geen veld van {mt.name}")
            kind = flow.kind(s) if s.source != "dialogue" or s.kind else ""
            if kind in ("choice", "multichoice") and not flow.choices(s):
                problems.append(f"{flow.key}: keuzestap {s.name} zonder keuzes")
    return problems
