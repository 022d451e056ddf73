"""Write ``domain_meldingen.yml`` and ``data/rules_meldingen.yml`` from the flow spec.

    /work/venv/bin/python -m actions.melding_flow_domain           # add what is missing, keep edited texts
    /work/venv/bin/python -m actions.melding_flow_domain --fresh   # rewrite every response from the seeds below
    /work/venv/bin/python -m actions.melding_flow_domain --check   # exit 1 if the files are out of date

Slots, forms, entities and rules are always regenerated from ``actions/melding_flow_spec.py``. Responses (all the
user-facing text) are kept as they are in ``domain_meldingen.yml`` once written, like ``scripts/gen_domain.py``
does for the calculators: edit the texts there. The seeds below are only used for responses that do not exist yet.
Line numbers in the texts refer to ``knowledge/corpus/kerkrade_personeelshandboek.txt``.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from actions.melding_flow_spec import (ACTIVE_SLOT, FLOWS, STATUS_CHOICES, STATUS_FORM, STATUS_HELPERS, STATUS_SLOTS,
                                       Flow, Step)

REPO = Path(__file__).resolve().parent.parent
DOMAIN_OUT = REPO / "domain_meldingen.yml"
RULES_OUT = REPO / "data" / "rules_meldingen.yml"

# Intents that interrupt a melding question (the runtime answers them and asks the question again). Only
# "is dit anoniem?": everything else reaches the form's validator, which tells answers from questions itself
# (question form, confidence, whether the answer parses). Measured with the real NLU, short answers are often
# misclassified — "groot" as goodbye, "sla over" as a calculator, a description as melding_agressie or ask_policy —
# so a long not_intent list would eat real answers.
NEVER_ANSWER = ["is_anoniem"]
SKIP_VALUE = "overslaan"
DONE_VALUE = "klaar"

EN = [{"type": "slot", "name": "language", "value": "en"}]
STOP_LINE = "Zeg “stop” om te stoppen; dan wordt er niets verstuurd."
KEEP_LINE = ("Wat je typt, bewaar ik tijdens het invullen in dit gesprek, zodat je later verder kunt; na het versturen "
             "of stoppen wis ik het. Het chatkanaal dat je gebruikt, kan berichten ook zelf bewaren.")


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:  # plain YAML, readable without anchors
        return True


def payload(slot: str, value: Any) -> str:
    return "/inform" + json.dumps({slot: value}, ensure_ascii=False)


# ------------------------------------------------------------------------------------------------- questions

QUESTIONS: dict[str, dict[str, str]] = {
    "misstand": {
        "doorgaan": "Wil je nu een melding doen, of eerst in vertrouwen advies vragen?",
        "ontvanger": ("Bij wie wil je melden? De regeling noemt drie functionarissen (art. 3 lid 3, regels 430–433). "
                      "Via Regelwijs komt je melding versleuteld bij de integriteitscoördinator; een vertrouwenspersoon "
                      "of leidinggevende stuurt een melding ook in overleg met jou door naar de integriteitscoördinator "
                      "(art. 3 lid 5, regel 439)."),
        "omschrijving": ("Beschrijf je vermoeden van een misstand: wat is er aan de hand? Schrijf zo feitelijk "
                         "mogelijk."),
        "categorie": ("Waar gaat het om (art. 1 j, regel 407)? Je kunt er meer kiezen: typ ze, of klik ze één voor "
                      "één aan en kies daarna “Klaar”."),
        "grondslag": ("Waarop baseer je je vermoeden? Een melding moet op redelijke gronden berusten (art. 1 m). "
                      "Bijvoorbeeld: wat heb je zelf gezien, gehoord of gelezen?"),
        "wanneer": "Wanneer speelde of speelt dit, en sinds wanneer?",
        "waar": "Waar speelt het (afdeling, locatie)?",
        "betrokkenen": ("Wie zijn erbij betrokken? Ook deze gegevens zijn vertrouwelijk (art. 9 lid 1) en alleen "
                        "leesbaar voor de integriteitscoördinator."),
        "documenten": "Welke documenten of bewijsstukken kun je aanleveren? Je hoeft ze nu niet te sturen; noem ze alleen.",
        "advies_ingewonnen": ("Heb je al advies ingewonnen (een adviseur in vertrouwen, de vertrouwenspersoon of het "
                              "Huis voor Klokkenluiders)?"),
        "extern_of_aangifte": "Heb je dit al extern gemeld of er aangifte van gedaan?",
        "met_naam": ("Wil je je naam meesturen?\n"
                     "• Met naam: de integriteitscoördinator kan je bereiken. Je identiteit blijft vertrouwelijk en "
                     "wordt niet bekendgemaakt zonder je uitdrukkelijke schriftelijke toestemming (art. 9 lid 3, "
                     "regel 514).\n"
                     "• Zonder naam: je leest reacties hier met je ontvangstcode. Dat is níet hetzelfde als anoniem: uit "
                     "de inhoud kan soms worden afgeleid wie je bent, en de regeling kent geen anonieme meldroute."),
        "naam": "Wat is je naam?",
        "contact": ("Hoe kan de integriteitscoördinator je bereiken (e-mailadres of telefoonnummer)? Overslaan mag; "
                    "reacties lees je dan hier met je ontvangstcode."),
        "relatie": "Wat is je relatie tot de gemeente (art. 3 lid 1, regel 428)?",
        "toestemming_bekendmaking": (
            "Geef je toestemming om je identiteit bekend te maken aan anderen dan de integriteitscoördinator "
            "(bijvoorbeeld aan een onderzoeker of aan degene over wie je meldt)? Zonder jouw uitdrukkelijke "
            "schriftelijke toestemming gebeurt dat niet (art. 9 lid 3, regel 514). Kies je “Nee”, dan blijft je naam "
            "bij de integriteitscoördinator; alleen als een wet bekendmaking verplicht, hoor je dat vooraf, met "
            "redenen (art. 9 lid 5, regel 516)."),
    },
    "agressie": {
        "kanaal": ("Waar of hoe gebeurde het? De maatregelen tegen de veroorzaker verschillen per situatie "
                   "(Hoofdstuk 8, regels 1156–1250)."),
        "plaats_elders": ("Waar gebeurde het precies? Bijvoorbeeld het adres van het huisbezoek, de straat of de ruimte. "
                          "(Het formulier vraagt de plaats van het incident, Bijlage 4A.)"),
        "herhaling": ("Was dit de eerste keer dat deze persoon zich zo gedroeg, of gebeurde het al eerder? "
                      "De maatregelen verschillen per situatie en per keer (regels 1172–1250). Weet je het niet, kies "
                      "dan “Overslaan”."),
        "datum_incident": "Op welke datum gebeurde het? (bijv. “vandaag”, “gisteren” of “12-03-2025”)",
        "tijdstip_incident": "Hoe laat ongeveer? (uu:mm, bijv. 14:30)",
        "soort_incident": ("Wat voor incident was het? Je kunt er meer kiezen: typ ze (bijv. “schelden en "
                           "schreeuwen”), of klik ze één voor één aan en kies daarna “Klaar”."),
        "soort_incident_anders": "Je koos “anders”: wat gebeurde er?",
        "beschrijving": "Beschrijf het incident: wat gebeurde er, wat werd er gezegd of gedaan? Schrijf feitelijk.",
        "letsel": ("Is er sprake van letsel (lichamelijk of geestelijk)? Bij “ja” mag je er meteen bij zetten welk "
                   "letsel, bijv. “ja, een blauwe plek”."),
        "letsel_toelichting": "Welk letsel?",
        "ernstig_letsel": ("Is het ernstig: is de medewerker in het ziekenhuis opgenomen, houdt hij of zij blijvende "
                           "schade over, of is de medewerker overleden? Dan moet de Arbeidsinspectie worden "
                           "gewaarschuwd (regel 1273)."),
        "schade_persoonlijk": "Is er schade aan persoonlijke eigendommen? (bij “ja” mag je er meteen bij zetten welke)",
        "schade_persoonlijk_toelichting": "Welke schade aan persoonlijke eigendommen?",
        "schade_gemeentelijk": "Is er schade aan gemeentelijke eigendommen? (bij “ja” mag je er meteen bij zetten welke)",
        "schade_gemeentelijk_toelichting": "Welke schade aan gemeentelijke eigendommen?",
        "aangifte": ("Is of wordt er aangifte gedaan bij de politie? Bij ernstige bedreigingen, vernielingen of "
                     "fysieke agressie gebeurt dat altijd, zo snel mogelijk (regel 1259)."),
        "aangifte_datum": "Op welke datum is (of wordt) de aangifte gedaan?",
        "aangifte_toelichting": "Waarom (nog) geen aangifte? Een korte toelichting.",
        "veroorzaker_naam": "Weet je de naam en voorletters van de veroorzaker?",
        "veroorzaker_geboortedatum": "Weet je de geboortedatum van de veroorzaker?",
        "veroorzaker_adres": "Weet je het adres, de postcode en de woonplaats van de veroorzaker?",
        "overige_opmerkingen": "Heb je nog overige opmerkingen (bijv. getuigen, of de politie erbij was)?",
        "naam": "Dan je persoonsgegevens (Bijlage 4A). Wat is je naam? Die is nodig voor de registratie en de nazorg.",
        "geslacht": "Geslacht (m/v)?",
        "geboortedatum": ("Je geboortedatum? Overslaan mag: de inwoner kan inzage in de registratie vragen en een kopie "
                          "opvragen (regel 1269)."),
        "adres": "Je adres? Overslaan mag (om dezelfde reden: de inwoner kan inzage vragen).",
        "postcode_woonplaats": "Je postcode en woonplaats? Overslaan mag.",
        "functie": "Je functie?",
        "naam_leidinggevende": "De naam van je leidinggevende?",
    },
    "ongewenst_gedrag": {
        "door_wie": "Van wie komt het gedrag?",
        "route": "Wat wil je doen?",
        "soort": ("Om wat voor gedrag gaat het? Kies er één of meer (of typ ze) en kies daarna “Klaar”."),
        "omschrijving": ("Beschrijf wat er is gebeurd en hoe je het hebt ervaren. Ongewenst gedrag is gedrag dat jij als "
                         "ongewenst ervaart (H6 art. 1 h, regel 982)."),
        "datum": "Wanneer gebeurde het? Geef zo mogelijk een datum (bij meerdere keren: de laatste).",
        "tijd": "Hoe laat, als je dat weet? (uu:mm)",
        "plaats": "Waar gebeurde het?",
        "omstandigheden": "Onder welke omstandigheden?",
        "aangeklaagde": "Over wie gaat het (naam en functie)? Alleen de vertrouwenspersoon kan dit lezen.",
        "getuigen": "Zijn er getuigen? Noem hun namen als je wilt.",
        "ondernomen_stappen": "Welke stappen heb je al ondernomen (bijv. de persoon aangesproken, het gemeld bij je leidinggevende)?",
        "met_naam": ("Wil je je naam meesturen aan de vertrouwenspersoon? Zonder naam lees je reacties hier met je "
                     "ontvangstcode. Dat is niet hetzelfde als anoniem: uit de inhoud kan soms worden afgeleid wie je bent."),
        "naam": "Wat is je naam?",
        "adres": "Wat is je adres? Een klacht moet naam- en adresgegevens bevatten (Bijlage 3 art. 1 f, regel 4609).",
        "contact": "Hoe kan de vertrouwenspersoon je bereiken (e-mailadres of telefoonnummer)?",
        "functie_afdeling": "Je functie en afdeling?",
    },
    "arbeidsongeval": {
        "datum_ongeval": "Op welke datum gebeurde het ongeval?",
        "tijdstip": "Hoe laat? (uu:mm)",
        "ernstig_letsel": ("Is het ongeval dodelijk, leidt het binnen 24 uur tot opname in het ziekenhuis, of is het "
                           "letsel naar verwachting blijvend (regel 3471)?"),
        "plaats_ongeval": "Waar gebeurde het ongeval?",
        "omschrijving": "Beschrijf volledig wat er gebeurde.",
        "verwondingen": "Zijn er verwondingen? (bij “ja” mag je er meteen bij zetten welke)",
        "verwondingen_welke": "Welke verwondingen?",
        "verzuim": ("Leidt het ongeval tot verzuim? Let op, de regeling is hier niet eenduidig: het register geldt voor "
                    "ongevallen met “meer dan 3 dagen” verzuim (regel 3470), maar het meldingsformulier is nodig bij "
                    "verzuim van “minimaal drie dagen” (regel 3484). Bij precies drie dagen vul je het formulier dus "
                    "in. Zonder verzuim is het S.O.S.-formulier bedoeld (regel 3482); voor één of twee dagen verzuim "
                    "noemt de regeling geen formulier."),
        "werkt_door": "Werkt de getroffene door?",
        "gestaakt_sinds": "Sinds wanneer is het werk gestaakt? Geef de datum en zo mogelijk de tijd, bijv. “gisteren 14:00”.",
        "artsbezoek": "Is een bezoek aan een arts nodig?",
        "getuigen": "Zijn er getuigen? (bij “ja” mag je er meteen bij zetten wie)",
        "getuigen_wie": "Wie zijn de getuigen?",
        "schade": "Is er schade aan persoonlijk of gemeentelijk bezit?",
        "schade_toelichting": "Welke schade?",
        "derden": "Is het ongeval te wijten aan toedoen van derden?",
        "derden_toelichting": "Verklaar: hoe waren derden erbij betrokken?",
        "anderen_betrokken": "Zijn bij het ongeluk nog andere mensen betrokken?",
        "anderen_betrokken_toelichting": "Wie zijn er nog meer betrokken?",
        "veiligheidsvoorschrift": "Bestaat er een veiligheidsvoorschrift voor dit werk?",
        "veiligheidsvoorschrift_welke": "Welk veiligheidsvoorschrift?",
        "oorzaak": "Wat is volgens jou de oorzaak van het ongeval?",
        "maatregelen": "Welke maatregelen zijn genomen of moeten worden genomen om herhaling te voorkomen?",
        "naam": "Naam en voornaam van de getroffene?",
        "geboortedatum": "Geboortedatum van de getroffene?",
        "functie": "Functie van de getroffene?",
        "afdeling": "Domein/afdeling van de getroffene?",
        "naam_leidinggevende": ("En de naam van de leidinggevende? Het formulier wordt door de leidinggevende samen met de "
                                "medewerker ingevuld en door beiden ondertekend (regels 3484, 6308–6312)."),
    },
    "onveilige_situatie": {
        "betreft": "Wat wil je melden?",
        "datum": "Op welke datum was het (of zag je het)?",
        "tijdstip": "Hoe laat? (uu:mm)",
        "plaats": "Waar is het?",
        "beschrijving": ("Beschrijf duidelijk onder welke omstandigheden of tijdens welke werkzaamheden het bijna-ongeval "
                         "of de onveilige situatie plaatsvond."),
        "bijna_fout": "Wat ging er volgens jou (bijna) fout? Kies er één of meer en daarna “Klaar”.",
        "bijna_fout_toelichting": "Een korte beschrijving van wat er (bijna) fout ging?",
        "gevolgen": "Wat hadden de gevolgen kunnen zijn? Kies er één of meer en daarna “Klaar”.",
        "gevolgen_toelichting": "Een toelichting op de mogelijke gevolgen?",
        "kans_herhaling": "Hoe groot is de kans dat zo’n bijna-ongeval of gevaarlijke situatie zich herhaalt?",
        "maatregelen_genomen": "Welke maatregelen zijn al genomen?",
        "maatregelen_nodig": "Welke maatregelen moeten nog genomen worden?",
        "effect_maatregelen": "Welk effect verwacht je van die maatregelen?",
        "met_naam": ("Het formulier vraagt de naam van de rapporteur (regel 6334). Wil je je naam meesturen? Zonder naam "
                     "kan P&O je alleen via je ontvangstcode om toelichting vragen; en niet anoniem betekent ook: uit de "
                     "inhoud kan soms blijken wie je bent."),
        "naam": "Wat is je naam?",
        "contact": "Hoe kan P&O je bereiken (e-mailadres of telefoonnummer)?",
    },
}

# Labels in the summary and the correction menu: for the dialogue questions, and where the label in types.yml
# is a question (a summary line reads better as a noun phrase). Other fields use their label from types.yml.
SUMMARY_LABELS = {
    "misstand": {"ontvanger": "Gekozen ontvanger", "met_naam": "Naam meesturen",
                 "toestemming_bekendmaking": "Toestemming om je identiteit bekend te maken",
                 "grondslag": "Waarop je je vermoeden baseert", "documenten": "Documenten of bewijsstukken",
                 "advies_ingewonnen": "Al advies ingewonnen", "extern_of_aangifte": "Al extern gemeld of aangifte gedaan",
                 "relatie": "Relatie tot de gemeente"},
    "agressie": {"kanaal": "Situatie", "plaats_elders": "Waar precies", "herhaling": "Eerste keer of herhaling"},
    "ongewenst_gedrag": {"route": "Gekozen route", "ondernomen_stappen": "Stappen die je al hebt ondernomen",
                         "met_naam": "Naam meesturen"},
    "onveilige_situatie": {"bijna_fout": "Wat er (bijna) fout ging", "gevolgen": "Mogelijke gevolgen",
                           "met_naam": "Naam meesturen"},
}

ROLE_LABELS = {"integriteitscoordinator": "de integriteitscoördinator", "arbo": "de adviseur Arbo en personeelszorg",
               "vertrouwenspersoon": "de vertrouwenspersoon"}
ROLE_LABELS_EN = {"integriteitscoordinator": "the integrity coordinator", "arbo": "the health and safety adviser",
                  "vertrouwenspersoon": "the confidential adviser (vertrouwenspersoon)"}

INTROS = {
    "misstand": (
        "Je wilt een vermoeden van een misstand melden (Hoofdstuk 3). Eerst dit:\n"
        "• Advies vooraf mag altijd, in vertrouwen: bij een adviseur in vertrouwen, de vertrouwenspersoon of de afdeling "
        "advies van het Huis voor Klokkenluiders (art. 2, regels 420–423).\n"
        "• Intern melden heeft de voorkeur, maar je mag altijd ook direct extern melden (art. 8 lid 1, regel 484) bij "
        "een bevoegde autoriteit: de afdeling onderzoek van het Huis voor Klokkenluiders, de ACM, de AFM, de Autoriteit "
        "Persoonsgegevens, De Nederlandsche Bank, de IGJ, de NZa of de ANVS (art. 8 lid 2, regels 487–495).\n"
        "• Gaat het om een strafbaar feit, dan moet je daarnaast aangifte doen (art. 3 lid 7, regel 441).\n"
        "• Anoniem melden kent de regeling niet. Je identiteit blijft wel vertrouwelijk: die wordt niet bekendgemaakt "
        "zonder jouw uitdrukkelijke schriftelijke toestemming (art. 9 lid 3, regel 514).\n"
        "Via Regelwijs komt je melding versleuteld bij de integriteitscoördinator; alleen die kan haar lezen. "
        + KEEP_LINE + " " + STOP_LINE),
    "agressie": (
        "Vervelend dat je dit is overkomen. Eerst dit:\n"
        "• Is er nu gevaar? Bel 112. Minder dringend: politie 0900-8844 (regel 1333).\n"
        "• Meld het incident ook direct aan je leidinggevende — dat is verplicht (regels 1153 en 1269). De "
        "leidinggevende zorgt binnen 24 uur voor het registratieformulier (regel 1269).\n"
        "• Nazorg: je leidinggevende heeft minimaal drie gesprekken met je: direct, 1 tot 3 dagen en 4 tot 6 weken na "
        "het incident (regels 1303–1309).\n"
        "Ik vul met je het meldingsformulier agressie en geweld in (Bijlage 4A). Via Regelwijs komt het versleuteld bij "
        "de adviseur Arbo en personeelszorg. Let op: de inwoner kan inzage vragen in de registratie (regel 1269), dus "
        "schrijf feitelijk. Vragen die niet verplicht zijn, kun je overslaan. " + KEEP_LINE + " " + STOP_LINE),
    "ongewenst_gedrag": (
        "Vervelend dat je dit meemaakt. Zo werkt het (Hoofdstuk 5 en 6):\n"
        "• De vertrouwenspersoon omgangsvormen is extern (regel 789), biedt eerste opvang en advies, en onderneemt "
        "niets zonder jouw toestemming (regel 999).\n"
        "• Informele weg: bemiddeling door een neutrale derde of een mediator; bij kleinere kwesties kun je een "
        "P&O-adviseur, een juridisch adviseur of een lijnfunctionaris vragen (regels 826–832).\n"
        "• Formele weg: een klacht bij de Landelijke Klachtencommissie Ongewenst Gedrag; dat mag direct (regel 1012). "
        "De commissie adviseert binnen 12 weken na ontvangst (regel 4691); de werkgever besluit binnen 2 weken na het "
        "advies en kan dat één keer met 4 weken verlengen (regel 1027).\n"
        "Ik kan een intake voor de vertrouwenspersoon of je klacht met je opstellen — alleen als je dat wilt. "
        + KEEP_LINE + " " + STOP_LINE),
    "arbeidsongeval": (
        "Vervelend! Eerst dit:\n"
        "• Is er nu gevaar of ernstig letsel? Bel 112.\n"
        "• Meld het ongeval ook bij je direct leidinggevende en de adviseur Arbo en personeelszorg (regel 1566). Het "
        "meldingsformulier (Bijlage 12) vult de leidinggevende samen met de medewerker in; P&O stuurt het door naar de "
        "Arbeidsinspectie, de bedrijfsarts, het slachtoffer en de werkgever (regels 3484–3486).\n"
        "• Een ongeval met dodelijke afloop of ernstig letsel (ziekenhuisopname binnen 24 uur, of naar verwachting "
        "blijvend) moet binnen 24 uur schriftelijk aan de Arbeidsinspectie worden gemeld (regel 3471).\n"
        "• Een (bijna-)ongeval zonder verzuim meld je met het S.O.S.-formulier (regel 3482): zeg dan “stop” en daarna "
        "“onveilige situatie melden”.\n"
        "Via Regelwijs komt je melding versleuteld bij de adviseur Arbo en personeelszorg. " + KEEP_LINE + " "
        + STOP_LINE),
    "onveilige_situatie": (
        "Goed dat je dit meldt: medewerkers zijn verplicht onveilige situaties te melden (regel 3474). Ik vul met je het "
        "formulier Signalering Onveilige Situaties in (S.O.S., Bijlage 13). Je vult het samen met je leidinggevende in "
        "en P&O registreert het; P&O beoordeelt of een ongevalsonderzoek door de Arbodienst nodig is (regel 3482). Is "
        "er nu direct gevaar? Bel 112 en waarschuw je leidinggevende. Is er iemand gewond geraakt? Zeg dan “stop” en "
        "“arbeidsongeval melden”.\n"
        "Via Regelwijs komt je melding versleuteld bij de adviseur Arbo en personeelszorg. " + KEEP_LINE + " "
        + STOP_LINE),
}
INTROS_EN = {
    "misstand": (
        "You want to report a suspected wrongdoing (Chapter 3). First: you may always get confidential advice first "
        "(an adviser, the vertrouwenspersoon, or the advice department of the Huis voor Klokkenluiders, lines "
        "420–423), and you may always report externally to a competent authority (line 484; lines 487–495). The "
        "regulation has no anonymous route; your identity is kept confidential and is not disclosed without your "
        "explicit written consent (line 514). Your report goes, encrypted, to the integrity coordinator. What you type "
        "is kept in this conversation while you fill it in and deleted after sending or stopping. Say “stop” to cancel. "
        "(The questions are in Dutch.)"),
    "agressie": (
        "Sorry this happened to you. In danger right now? Call 112 (police, less urgent: 0900-8844, line 1333). "
        "You must also report the incident to your manager straight away (lines 1153, 1269); the manager completes "
        "the registration form within 24 hours. Aftercare: at least three conversations — right away, 1–3 days and "
        "4–6 weeks after the incident (lines 1303–1309). Note: the citizen can ask to see the registration (line "
        "1269). What you type is kept in this conversation while you fill it in and deleted afterwards. Say “stop” "
        "to cancel. (The questions are in Dutch.)"),
    "ongewenst_gedrag": (
        "Sorry you are going through this. The external vertrouwenspersoon offers first support and does nothing "
        "without your consent (lines 789, 999). You can also file a formal complaint with the national complaints "
        "committee: advice within 12 weeks (line 4691), the employer's decision within 2 weeks after that, extendable "
        "once by 4 weeks (line 1027). I can draft an intake or a complaint with you, only if you want to. Say “stop” "
        "to cancel. (The questions are in Dutch.)"),
    "arbeidsongeval": (
        "In danger or seriously injured? Call 112. Report the accident to your manager and the health and safety "
        "adviser too (line 1566). Fatal or serious accidents must be reported in writing to the Labour Inspectorate "
        "within 24 hours (line 3471). What you type is kept in this conversation while you fill it in and deleted "
        "afterwards. Say “stop” to cancel. (The questions are in Dutch.)"),
    "onveilige_situatie": (
        "Thank you: employees must report unsafe situations (line 3474). I'll fill in the S.O.S. form with you; HR "
        "registers it and decides whether an investigation is needed (line 3482). Immediate danger? Call 112. Say "
        "“stop” to cancel. (The questions are in Dutch.)"),
}

VERVOLG = {
    "misstand": (
        "Wat gebeurt er nu? De integriteitscoördinator stuurt je binnen zeven dagen een ontvangstbevestiging (art. 3 "
        "lid 6, regel 440). Komt er geen onderzoek, dan hoor je dat binnen twee weken na de melding, met redenen "
        "(art. 4 lid 6, regel 452); anders krijg je binnen drie maanden na de ontvangstbevestiging het standpunt van de "
        "werkgever (art. 6 lid 1, regel 467). Je mag altijd ook extern melden (art. 8, regel 484). Gaat het om een "
        "strafbaar feit, doe dan ook aangifte (regel 441)."),
    "agressie": (
        "Wat gebeurt er nu? Meld het incident ook direct aan je leidinggevende als je dat nog niet deed: dat is "
        "verplicht (regel 1153), en de leidinggevende zorgt binnen 24 uur voor het registratieformulier (regel 1269). "
        "De leidinggevende bepaalt binnen 48 uur welke sanctie en reactie naar de dader gaat (regel 1285). Je "
        "leidinggevende heeft minimaal drie nazorggesprekken met je: direct, 1 tot 3 dagen en 4 tot 6 weken na het "
        "incident (regels 1303–1309). Voor extra zorg, bijvoorbeeld een psycholoog, kies je zelf wie je benadert "
        "(regel 1311). Bij gevaar: 112."),
    "ongewenst_gedrag": (
        "Wat gebeurt er nu? De vertrouwenspersoon leest je melding en onderneemt niets zonder jouw toestemming "
        "(regel 999). Reacties lees je hier met je ontvangstcode."),
    "ongewenst_gedrag_klacht": (
        "Wat gebeurt er nu? De vertrouwenspersoon helpt je de klacht ondertekend in te dienen, rechtstreeks bij de "
        "commissie of bij de werkgever (regels 4638, 995); een klacht moet ondertekend zijn en je naam en adres "
        "bevatten (regel 4609). De commissie adviseert binnen 12 weken na ontvangst (regel 4691). De werkgever besluit "
        "binnen 2 weken na het advies en kan dat één keer met 4 weken verlengen (H6 art. 7, regel 1027). Let op: "
        "Bijlage 3 art. 10 (regel 4697) koppelt het besluit aan de adviestermijn, en bij verschil past de commissie de "
        "landelijke regeling toe (regel 4715). De termijnen hieronder tellen vanaf nu, tot de behandelaar de datum van "
        "ontvangst door de commissie vastlegt."),
    "arbeidsongeval": (
        "Wat gebeurt er nu? Meld het ongeval ook bij je direct leidinggevende (regel 1566): het formulier wordt door de "
        "leidinggevende samen met de medewerker ingevuld, en P&O stuurt het naar de Arbeidsinspectie, de bedrijfsarts, "
        "het slachtoffer en de werkgever (regels 3484–3486). Een onderzoek naar de toedracht is meestal nodig (regel "
        "3478). Over verzuim is de tekst niet eenduidig: “meer dan 3 dagen” (regel 3470) tegenover “minimaal drie "
        "dagen” (regel 3484)."),
    "onveilige_situatie": (
        "Wat gebeurt er nu? Bespreek het formulier met je leidinggevende; P&O registreert het en beoordeelt of een "
        "ongevalsonderzoek door de Arbodienst nodig is (regel 3482). De regeling noemt hiervoor geen termijn."),
}

# Receipt lines that depend on an answer: (field, value) -> text, as ``utter_melding_<flow>_vervolg_<field>_<value>``
# (yes/no answers as "ja"/"nee"); shown after the flow's VERVOLG text.
VERVOLG_NOTES = {
    "misstand": {
        ("toestemming_bekendmaking", "ja"): (
            "Je hebt toestemming gegeven om je identiteit bekend te maken (art. 9 lid 3, regel 514). Die toestemming is "
            "versleuteld bij je naam opgeslagen; alleen de integriteitscoördinator kan haar lezen. Bedenk je je, laat "
            "het de integriteitscoördinator dan weten via je ontvangstcode (informatie toevoegen)."),
        ("toestemming_bekendmaking", "nee"): (
            "Je hebt géén toestemming gegeven om je identiteit bekend te maken: je naam blijft bij de "
            "integriteitscoördinator en wordt niet bekendgemaakt zonder je uitdrukkelijke schriftelijke toestemming "
            "(art. 9 lid 3, regel 514). Correspondentie over de melding loopt via de functionaris bij wie je meldde "
            "(art. 9 lid 4, regel 515); hier lees je reacties met je ontvangstcode. Alleen als een wettelijk voorschrift "
            "bekendmaking verplicht, hoor je dat vooraf, met redenen (art. 9 lid 5, regel 516)."),
    },
}

ANONIEM_FLOW = {
    "misstand": (
        "Eerlijk antwoord: de klokkenluidersregeling kent geen anonieme meldroute, dus anonimiteit kan ik niet beloven. "
        "Wel is je identiteit vertrouwelijk: die wordt niet bekendgemaakt zonder je uitdrukkelijke schriftelijke "
        "toestemming (art. 9 lid 3, regel 514); alleen als een wet bekendmaking verplicht, hoor je dat vooraf met "
        "redenen (art. 9 lid 5, regel 516). Je kunt straks kiezen om zonder naam te melden — reacties lees je dan hier "
        "met je ontvangstcode — maar uit de inhoud kan soms worden afgeleid wie je bent. De melding wordt versleuteld "
        "opgeslagen; alleen de integriteitscoördinator kan haar lezen. In vertrouwen advies vragen kan altijd, ook bij "
        "het Huis voor Klokkenluiders (regel 423)."),
    "agressie": (
        "Eerlijk antwoord: nee, deze melding is niet anoniem. Het meldingsformulier agressie en geweld begint met je "
        "persoonsgegevens (Bijlage 4A), want registratie en nazorg lopen via je leidinggevende en de adviseur Arbo en "
        "personeelszorg (regels 1269, 1303). Let op: de inwoner kan inzage vragen in de registratie en een kopie "
        "opvragen (regel 1269); daarom zijn je geboortedatum en adres niet verplicht. De melding wordt versleuteld "
        "opgeslagen; alleen de adviseur Arbo en personeelszorg kan haar lezen."),
    "ongewenst_gedrag": (
        "Eerlijk antwoord: anoniem melden noemt de regeling niet. De vertrouwenspersoon is extern, heeft "
        "geheimhoudingsplicht (regel 822) en onderneemt niets zonder jouw toestemming (regel 999). Voor een melding bij "
        "de vertrouwenspersoon mag je je naam weglaten; dat is niet hetzelfde als anoniem, want uit de inhoud kan soms "
        "blijken wie je bent. Een formele klacht moet wél je naam en adres bevatten (regel 4609), en een afschrift van "
        "het advies gaat ook naar de aangeklaagde (regel 4691). De melding wordt versleuteld opgeslagen; alleen de "
        "vertrouwenspersoon kan haar lezen."),
    "arbeidsongeval": (
        "Eerlijk antwoord: nee. Het meldingsformulier arbeidsongevallen vraagt de naam van de getroffene (Bijlage 12, "
        "regel 6198), en P&O stuurt het door naar de Arbeidsinspectie, de bedrijfsarts, het slachtoffer en de werkgever "
        "(regels 3484–3486). De melding wordt versleuteld opgeslagen; alleen de adviseur Arbo en personeelszorg kan haar "
        "lezen."),
    "onveilige_situatie": (
        "Eerlijk antwoord: het S.O.S.-formulier vraagt de naam van de rapporteur (regel 6334); een anonieme route kent "
        "de regeling niet. In Regelwijs mag je je naam weglaten, maar dan kan P&O je alleen via je ontvangstcode om "
        "toelichting vragen, en uit de inhoud kan soms blijken wie je bent. De melding wordt versleuteld opgeslagen; "
        "alleen de adviseur Arbo en personeelszorg kan haar lezen."),
}


def _t(text: str, buttons: list[dict] | None = None, condition: list[dict] | None = None) -> dict:
    v: dict[str, Any] = {"text": text}
    if buttons:
        v["buttons"] = buttons
    if condition:
        v["condition"] = condition
    return v


def _nl_en(nl: str, en: str) -> list[dict]:
    return [_t(nl), _t(en, condition=EN)]


def common_responses() -> dict[str, list[dict]]:
    """Texts shared by all flows (summary, receipt, errors, stop) and the status flow."""
    r: dict[str, list[dict]] = {
        "utter_anonimiteit": [
            _t("Eerlijk antwoord: anoniem melden wordt in de regelingen nergens genoemd, dus anonimiteit kan ik je niet "
               "beloven. Wel geldt:\n"
               "• Vermoeden van een misstand: je identiteit is vertrouwelijk en wordt niet bekendgemaakt zonder je "
               "uitdrukkelijke schriftelijke toestemming (H3 art. 9 lid 3, regel 514). Je kunt in Regelwijs zonder naam "
               "melden, maar uit de inhoud kan soms worden afgeleid wie je bent.\n"
               "• Ongewenst gedrag: de vertrouwenspersoon onderneemt niets zonder jouw toestemming (regel 999). Een "
               "formele klacht vraagt wél je naam en adres (regel 4609), en een afschrift van het advies gaat ook naar de "
               "aangeklaagde (regel 4691).\n"
               "• Agressie en arbeidsongevallen: die formulieren vragen je naam (Bijlage 4A, Bijlage 12). Een inwoner "
               "kan inzage vragen in de registratie van een agressie-incident (regel 1269).\n"
               "In Regelwijs wordt een melding versleuteld opgeslagen: alleen de behandelaar (bijv. de "
               "integriteitscoördinator of de vertrouwenspersoon) kan haar lezen. Je naam gaat alleen mee als jij daarvoor "
               "kiest of als het formulier hem vereist. Tijdens het invullen bewaar ik je antwoorden in het gesprek; na "
               "versturen of stoppen wis ik ze."),
            *[_t(text, condition=[{"type": "slot", "name": ACTIVE_SLOT, "value": key},
                                  {"type": "slot", "name": "language", "value": "nl"}])
              for key, text in ANONIEM_FLOW.items()],
            _t("Honest answer: the regulations never mention anonymous reporting, so I can't promise anonymity. For a "
               "suspected wrongdoing your identity stays confidential and is not disclosed without your explicit written "
               "consent (line 514). The aggression and accident forms ask for your name; a formal complaint about "
               "undesirable behaviour needs your name and address (line 4609). Reports are stored encrypted: only the "
               "handler can read them.", condition=EN),
        ],
        "utter_melding_samenvatting": [
            _t("Controleer je melding voordat je haar verstuurt:\n\n{samenvatting}\n\nOntvanger: {ontvanger} (versleuteld; "
               "alleen die kan de melding lezen).\n{identiteit}\n\nKlopt alles?"),
            _t("Please check your report before sending it:\n\n{samenvatting}\n\nRecipient: {ontvanger} (encrypted; only "
               "they can read it).\n{identiteit}\n\nIs everything correct?", condition=EN),
        ],
        "utter_melding_identiteit_mee": _nl_en("Je naam wordt meegestuurd.", "Your name is included."),
        "utter_melding_identiteit_niet": _nl_en(
            "Je naam wordt niet meegestuurd (dat is niet hetzelfde als anoniem).",
            "Your name is not included (which is not the same as anonymous)."),
        "utter_melding_overgeslagen": _nl_en("(overgeslagen)", "(skipped)"),
        "utter_melding_al_genoteerd": _nl_en(
            "Uit je bericht heb ik alvast genoteerd: {velden}. Klopt iets niet, dan pas je het aan in het overzicht "
            "aan het eind.",
            "From your message I have already noted: {velden}. If something is wrong, you can change it in the "
            "summary at the end."),
        "button_melding_versturen": _nl_en("Versturen", "Send"),
        "button_melding_aanpassen": _nl_en("Iets aanpassen", "Change something"),
        "button_melding_stoppen": _nl_en("Stoppen", "Stop"),
        "button_melding_overslaan": _nl_en("Overslaan", "Skip"),
        "button_melding_klaar": _nl_en("Klaar", "Done"),
        "button_melding_terug": _nl_en("Terug naar het overzicht", "Back to the summary"),
        "button_ja": _nl_en("Ja", "Yes"),
        "button_nee": _nl_en("Nee", "No"),
        "utter_melding_wijzig_vraag": _nl_en("Welk antwoord wil je aanpassen?", "Which answer do you want to change?"),
        "utter_melding_wijzig_onbekend": _nl_en(
            "Dat antwoord herken ik niet. Kies een van de knoppen.", "I don't recognise that. Please choose a button."),
        "utter_melding_bevestiging_onbekend": _nl_en(
            "Kies “Versturen”, “Iets aanpassen” of “Stoppen”.", "Please choose “Send”, “Change something” or “Stop”."),
        "utter_melding_ontvangen": [
            _t("Je melding is ontvangen en veilig opgeslagen.\n\nJe ontvangstcode: {code}\nBewaar deze code goed: ik kan "
               "hem niet opnieuw tonen. Met de code kun je hier later de status bekijken, reacties lezen en informatie "
               "toevoegen (zeg “status van mijn melding”). Referentie: {reference}.\n\n{termijnen}\n\n{vervolg}\n\nJe "
               "antwoorden heb ik uit dit gesprek gewist."),
            _t("Your report has been received and stored securely.\n\nYour receipt code: {code}\nKeep it safe: I cannot "
               "show it again. With it you can check the status, read replies and add information here later (say “status "
               "of my report”). Reference: {reference}.\n\n{termijnen}\n\n{vervolg}\n\nI have deleted your answers from "
               "this conversation.", condition=EN),
        ],
        "utter_melding_al_ontvangen": _nl_en(
            "Deze melding had ik al ontvangen (referentie {reference}); ze is maar één keer opgeslagen. Omdat de eerdere "
            "bevestiging je misschien niet heeft bereikt, krijg je een nieuwe ontvangstcode: {code} — de eerdere code "
            "werkt niet meer.\n\n{termijnen}\n\n{vervolg}",
            "I had already received this report (reference {reference}); it is stored only once. Your new receipt "
            "code: {code} — the earlier code no longer works.\n\n{termijnen}\n\n{vervolg}"),
        "utter_melding_al_ontvangen_geen_code": _nl_en(
            "Deze melding had ik al ontvangen (referentie {reference}); ze is maar één keer opgeslagen. Een nieuwe "
            "ontvangstcode kan ik niet geven: de eerste code is al gebruikt, er is al gereageerd, of hij is te lang "
            "geleden uitgegeven. Gebruik de code die je eerder kreeg.",
            "I had already received this report (reference {reference}); it is stored only once. I can't issue a new "
            "receipt code; please use the code you received earlier."),
        "utter_melding_termijnen_kop": _nl_en("Termijnen volgens de regeling:", "Deadlines under the regulation:"),
        "utter_melding_termijn": [_t("• {label}: uiterlijk {due} (regel {line}){extra}")],
        "utter_melding_termijn_venster": [_t("• {label}: tussen {start} en {due} (regel {line}){extra}")],
        "utter_melding_termijn_voorlopig": _nl_en(
            " — voorlopig: de termijn telt vanaf een moment dat de behandelaar nog vastlegt",
            " — provisional, until the handler records the starting moment"),
        "utter_melding_termijn_afgerond": _nl_en(" — afgerond op {at}", " — completed on {at}"),
        "utter_melding_geen_termijnen": _nl_en(
            "De regeling noemt voor deze melding geen termijn; ik verzin er geen.",
            "The regulation sets no deadline for this report."),
        "utter_melding_versturen_mislukt": _nl_en(
            "Het versturen is niet gelukt; er is niets opgeslagen. Je antwoorden staan nog klaar: probeer het zo nog eens "
            "met “Versturen”, of zeg “stop”.",
            "Sending failed; nothing was stored. Your answers are still here: try “Send” again in a moment, or say "
            "“stop”."),
        "utter_melding_ongeldig_veld": _nl_en(
            "Eén antwoord klopt nog niet: {label} ({reden}). Ik vraag het opnieuw.",
            "One answer is not valid yet: {label} ({reden}). I'll ask again."),
        "utter_melding_niet_beschikbaar": _nl_en(
            "Deze melding kan nu nog niet via Regelwijs worden ontvangen: de sleutel van de ontvanger ({rol}) is nog niet "
            "ingesteld. Er is niets opgeslagen. Meld het intussen rechtstreeks bij {contact_pg}. (Voor de beheerder: "
            "voer eerst `regelwijs keys generate --role {rol}` uit en zet het bestand {rol}.pub in de keyring van de "
            "bot.)",
            "This report can't be received through Regelwijs yet: the recipient's key ({rol}) has not been set up. "
            "Nothing was stored. Please report directly to {contact_pg}. (Administrator: run `regelwijs keys generate "
            "--role {rol}` and put {rol}.pub in the bot's keyring.)"),
        "utter_melding_gestopt": _nl_en(
            "Oké, ik ben gestopt. Er is niets verstuurd of opgeslagen, en je antwoorden zijn uit dit gesprek gewist.",
            "OK, I stopped. Nothing was sent or stored, and your answers have been deleted from this conversation."),
        "utter_melding_fout_datum_ongeldig": _nl_en(
            "Die datum bestaat niet. Geef een geldige datum, bijvoorbeeld 28-02-2025.",
            "That date does not exist. Please give a valid date, e.g. 28-02-2025."),
        "utter_melding_fout_datum_onbekend": _nl_en(
            "Daarin herken ik geen datum. Geef de datum als “12-03-2025”, “12 maart” of “gisteren”.",
            "I don't recognise a date in that. Please use “12-03-2025”, “12 March” or “yesterday”."),
        "utter_melding_fout_datum_toekomst": _nl_en(
            "Die datum ligt in de toekomst. Geef de datum waarop het gebeurde.",
            "That date is in the future. Please give the date it happened."),
        "utter_melding_fout_tijd": _nl_en(
            "Daarin herken ik geen tijdstip. Geef het als uu:mm, bijvoorbeeld 14:30.",
            "I don't recognise a time in that. Please use hh:mm, e.g. 14:30."),
        "utter_melding_fout_janee": _nl_en("Antwoord met ja of nee (of gebruik de knoppen).",
                                           "Please answer yes or no (or use the buttons)."),
        "utter_melding_fout_keuze": _nl_en(
            "Dat herken ik niet als een van de keuzes. Kies een knop of typ een van de keuzes.",
            "I don't recognise that as one of the options. Please choose a button."),
        "utter_melding_fout_verplicht": _nl_en(
            "Deze vraag is nodig voor de melding; overslaan kan hier niet.",
            "This question is required; it can't be skipped."),
        "utter_melding_ingekort": _nl_en(
            "Je tekst was langer dan {limit} tekens; ik heb alleen de eerste {limit} tekens opgenomen. Wil je meer kwijt? "
            "Na het versturen kun je met je ontvangstcode informatie toevoegen.",
            "Your text was longer than {limit} characters; I kept only the first {limit}. You can add more information "
            "with your receipt code after sending."),
        "utter_melding_selectie": _nl_en("Genoteerd: {gekozen}. Kies nog iets, of kies “Klaar”.",
                                         "Noted: {gekozen}. Choose more, or “Done”."),
        "utter_melding_selectie_leeg": _nl_en("Je hebt nog niets gekozen. Kies minstens één mogelijkheid.",
                                              "You haven't chosen anything yet. Please choose at least one."),
        "utter_melding_andere_melding": _nl_en(
            "We waren nog met deze melding bezig; daar ga ik nu mee verder. Wil je eerst iets anders doen, zeg dan "
            "“stop” (dan wordt deze melding niet verstuurd).",
            "We were still working on this report, so I'll continue with it. Say “stop” first if you'd rather do "
            "something else (this report will then not be sent)."),
        "utter_melding_hulp": _nl_en(
            "Beantwoord de vraag hieronder. Bij een vraag die niet verplicht is, kun je “Overslaan” kiezen. Zeg “stop” om "
            "te stoppen; dan wordt er niets verstuurd.",
            "Answer the question below. Optional questions can be skipped. Say “stop” to cancel; nothing will be sent."),
        "utter_melding_stop_twijfel": [
            _t("Bedoel je dat je wilt stoppen met deze melding? Dan wordt er niets verstuurd en wis ik je antwoorden."),
            _t("Do you want to stop this report? Then nothing is sent and I delete your answers.", condition=EN),
        ],
        "button_melding_stop_ja": _nl_en("Ja, stoppen", "Yes, stop"),
        "button_melding_stop_antwoord": _nl_en("Nee, dat was mijn antwoord", "No, that was my answer"),
        "button_melding_stop_verder": _nl_en("Nee, ga verder", "No, continue"),
        # -- flow-specific reactions
        "utter_melding_misstand_advies": _nl_en(
            "Goed idee. Je kunt in vertrouwen advies vragen bij een adviseur in vertrouwen, bij de vertrouwenspersoon, of "
            "bij de afdeling advies van het Huis voor Klokkenluiders (www.huisvoorklokkenluiders.nl) (art. 2, regels "
            "420–423). Die afdeling adviseert ook over een externe melding en welke autoriteit daarvoor bevoegd is "
            "(art. 8 lid 3, regel 498). Er is niets opgeslagen. Wil je daarna alsnog melden, zeg dan “misstand melden”.",
            "Good idea. You can get confidential advice from an adviser, the vertrouwenspersoon, or the advice "
            "department of the Huis voor Klokkenluiders (www.huisvoorklokkenluiders.nl) (lines 420–423). Nothing was "
            "stored. Say “report wrongdoing” when you want to report."),
        "utter_melding_misstand_ontvanger_via": [_t(
            "Ik noteer je voorkeur voor {ontvanger} in de melding. Let op: via Regelwijs komt de melding bij de "
            "integriteitscoördinator terecht. Wil je haar liever persoonlijk bij {ontvanger} doen, zeg dan “stop” en "
            "neem rechtstreeks contact op; er is dan niets verstuurd.")],
        "utter_melding_misstand_coordinator_betrokken": _nl_en(
            "Is de integriteitscoördinator zelf direct of indirect betrokken, dan meld je bij de gemeentesecretaris "
            "(Hoofdstuk 4, fase 1, regel 605). Regelwijs kan een melding alleen versleuteld aan de "
            "integriteitscoördinator bezorgen, dus ik stop hier: er is niets opgeslagen. Je kunt ook in vertrouwen advies "
            "vragen (vertrouwenspersoon of Huis voor Klokkenluiders, regels 420–423) of direct extern melden (regel 484).",
            "If the integrity coordinator is involved, report to the gemeentesecretaris (line 605). Regelwijs can only "
            "deliver reports to the integrity coordinator, so I stopped here; nothing was stored."),
        "utter_melding_agressie_ernstig": [_t(
            "Dit is een ernstig incident: de werkgever moet de Arbeidsinspectie waarschuwen, binnen 24 na het incident "
            "(regel 1273; de tekst noemt de eenheid niet, Hoofdstuk 32 zegt “binnen 24 uur”, regel 3471). Laat je "
            "leidinggevende dit nu meteen weten, ook als je deze melding nog afmaakt.")],
        "utter_melding_arbeidsongeval_ernstig": [_t(
            "Dan moet het ongeval binnen 24 uur schriftelijk aan de Arbeidsinspectie worden gemeld (regel 3471). "
            "Waarschuw je leidinggevende en P&O nu meteen — wacht daar niet mee tot deze melding klaar is.")],
        "utter_melding_arbeidsongeval_geen_verzuim": [_t(
            "Zonder verzuim schrijft Hoofdstuk 32 het S.O.S.-formulier voor (regel 3482). Ik neem je melding hier toch "
            "op: alle bedrijfsongevallen, ook de lichtere, worden gemeld en geregistreerd (regel 1566). Liever het "
            "S.O.S.-formulier? Zeg dan “stop” en daarna “onveilige situatie melden”.")],
        "utter_melding_arbeidsongeval_kort_verzuim": [_t(
            "Voor verzuim van minder dan drie dagen noemt de regeling geen formulier (regels 3470, 3482, 3484). Ik neem "
            "je melding hier op; overleg met P&O of ook het S.O.S.-formulier nodig is.")],
        "utter_melding_ongewenst_gedrag_naar_agressie": [_t(
            "Ongewenst gedrag van inwoners of derden valt onder het Protocol Agressie en Geweld, niet onder de "
            "klachtenregeling (regel 689). Ik heb deze intake gestopt; er is niets opgeslagen. Wil je een melding "
            "agressie en geweld doen?", buttons=[{"title": "Ja, melding agressie en geweld", "payload": "/melding_agressie"},
                                                {"title": "Nee", "payload": "/deny"}])],
        "utter_melding_ongewenst_gedrag_info": _nl_en(
            "Prima, er is niets opgeslagen. De vertrouwenspersoon helpt je vertrouwelijk verder en onderneemt niets "
            "zonder jouw toestemming (regel 999); je kunt terecht bij {contact_pg}. Je kunt later altijd terugkomen voor "
            "een intake of een klacht.",
            "Fine, nothing was stored. The vertrouwenspersoon can help you confidentially and does nothing without your "
            "consent (line 999); contact: {contact_pg}."),
        "utter_melding_ongewenst_gedrag_klacht_uitleg": [_t(
            "Goed om te weten: een klacht moet ondertekend zijn en je naam en adres bevatten (Bijlage 3 art. 1 f, regel "
            "4609). Regelwijs stuurt je klacht versleuteld naar de vertrouwenspersoon, die je helpt haar ondertekend in "
            "te dienen, rechtstreeks bij de commissie of bij de werkgever (regels 4638, 995). Een afschrift van het "
            "advies gaat naar jou én naar de aangeklaagde (regel 4691). Gedrag van langer dan twee jaar geleden hoeft de "
            "commissie niet te behandelen (regel 4651).")],
        # -- receipt-code flow
        "utter_melding_status_intro": _nl_en(
            "Met je ontvangstcode zoek ik de status van je melding op, laat ik reacties van de behandelaar zien en kun je "
            "informatie toevoegen. Ik bewaar je code niet in dit gesprek.",
            "With your receipt code I can look up the status of your report, show replies and add information. I don't "
            "keep your code in this conversation."),
        f"utter_ask_{STATUS_FORM}_{STATUS_SLOTS['code']}": _nl_en(
            "Wat is je ontvangstcode? (16 cijfers, bijv. 1234 5678 9012 3456)",
            "What is your receipt code? (16 digits)"),
        f"utter_ask_{STATUS_FORM}_{STATUS_SLOTS['vervolg']}": [
            _t("Wil je informatie aan je melding toevoegen?",
               [{"title": label, "payload": payload(STATUS_SLOTS["vervolg"], value)} for value, label in STATUS_CHOICES]),
            _t("Do you want to add information to your report?",
               [{"title": "Add information", "payload": payload(STATUS_SLOTS["vervolg"], "aanvullen")},
                {"title": "Done", "payload": payload(STATUS_SLOTS["vervolg"], "klaar")}], condition=EN),
        ],
        f"utter_ask_{STATUS_FORM}_{STATUS_SLOTS['aanvulling']}": _nl_en(
            "Wat wil je toevoegen? Alleen de behandelaar kan het lezen.",
            "What would you like to add? Only the handler can read it."),
        "utter_melding_status_code_onbekend": _nl_en(
            "Die code ken ik niet, of hij is ongeldig. Controleer hem en probeer het opnieuw.",
            "I don't know that code, or it is invalid. Please check it and try again."),
        "utter_melding_status_te_vaak": _nl_en(
            "De code klopte drie keer niet; ik stop hier. Probeer het later opnieuw.",
            "The code was wrong three times; I stopped. Please try again later."),
        "utter_melding_status_resultaat": _nl_en(
            "Melding {reference} ({label})\nStatus: {status}\nOntvangen op: {ontvangen}\n\n{termijnen}\n\n{reacties}",
            "Report {reference} ({label})\nStatus: {status}\nReceived: {ontvangen}\n\n{termijnen}\n\n{reacties}"),
        "utter_melding_status_geen_reacties": _nl_en("Er zijn nog geen reacties van de behandelaar.",
                                                     "There are no replies from the handler yet."),
        "utter_melding_status_reacties_kop": _nl_en("Reacties van de behandelaar:", "Replies from the handler:"),
        "utter_melding_status_reactie": [_t("— {at}: {text}")],
        "utter_melding_status_toegevoegd": _nl_en(
            "Je aanvulling is toegevoegd ({at}). Alleen de behandelaar kan haar lezen.",
            "Your addition was saved ({at}). Only the handler can read it."),
        "utter_melding_status_afgesloten": _nl_en(
            "Deze melding is afgesloten; informatie toevoegen kan niet meer.",
            "This report is closed; you can no longer add information."),
        "utter_melding_status_klaar": _nl_en(
            "Bewaar je ontvangstcode goed; ik heb hem niet in dit gesprek bewaard.",
            "Keep your receipt code safe; I have not kept it in this conversation."),
        "utter_melding_status_code_opnieuw": _nl_en(
            "Om je aanvulling te versturen heb ik je ontvangstcode nog een keer nodig.",
            "To send your addition I need your receipt code once more."),
        "utter_melding_status_fout": _nl_en(
            "Dat lukte nu niet; er is niets gewijzigd. Probeer het later opnieuw.",
            "That didn't work just now; nothing was changed. Please try again later."),
    }
    for role, label in ROLE_LABELS.items():
        r[f"label_rol_{role}"] = _nl_en(label, ROLE_LABELS_EN[role])
    return r


def step_buttons(flow: Flow, step: Step) -> list[dict]:
    slot = flow.step_slot(step)
    kind = flow.kind(step)
    out: list[dict] = []
    if kind in ("choice", "multichoice"):
        out = [{"title": label, "payload": payload(slot, value)} for value, label in flow.choices(step)]
        if kind == "multichoice":
            out.append({"title": "Klaar", "payload": payload(slot, DONE_VALUE)})
    elif kind == "bool":
        out = [{"title": "Ja", "payload": payload(slot, "ja")}, {"title": "Nee", "payload": payload(slot, "nee")}]
    if not flow.required_when_asked(step):
        out.append({"title": "Overslaan", "payload": payload(slot, SKIP_VALUE)})
    if flow.key == "misstand" and step.name == "doorgaan":
        out.append({"title": "Stoppen", "payload": "/cancel"})
    return out


def flow_responses(flow: Flow) -> dict[str, list[dict]]:
    r: dict[str, list[dict]] = {}
    for step in flow.steps:
        text = QUESTIONS[flow.key][step.name]
        r[f"utter_ask_{flow.form}_{flow.step_slot(step)}"] = [_t(text, step_buttons(flow, step))]
    c = flow.control_slots
    r[f"utter_ask_{flow.form}_{c['stoppen']}"] = [
        _t("Bedoel je dat je wilt stoppen met deze melding? Dan wordt er niets verstuurd en wis ik je antwoorden.",
           [{"title": "Ja, stoppen", "payload": payload(c["stoppen"], "ja")},
            {"title": "Nee, dat was mijn antwoord", "payload": payload(c["stoppen"], "antwoord")},
            {"title": "Nee, ga verder", "payload": payload(c["stoppen"], "verder")}])]
    for name, label in SUMMARY_LABELS.get(flow.key, {}).items():
        r[f"label_{flow.slot(name)}"] = [_t(label)]
    r[f"utter_melding_{flow.key}_intro"] = [_t(INTROS[flow.key]), _t(INTROS_EN[flow.key], condition=EN)]
    r[f"utter_melding_{flow.key}_vervolg"] = [_t(VERVOLG[flow.key])]
    for (name, value), text in VERVOLG_NOTES.get(flow.key, {}).items():
        r[f"utter_melding_{flow.key}_vervolg_{name}_{value}"] = [_t(text)]
    if flow.key == "ongewenst_gedrag":
        r["utter_melding_ongewenst_gedrag_klacht_vervolg"] = [_t(VERVOLG["ongewenst_gedrag_klacht"])]
    return r


# ------------------------------------------------------------------------------------------- slots and rules

def _slot(mappings: list[dict]) -> dict:
    return {"type": "any", "influence_conversation": False, "mappings": mappings}


def step_mappings(flow: Flow, step: Step) -> list[dict]:
    slot = flow.step_slot(step)
    req = [{"active_loop": flow.form, "requested_slot": slot}]
    maps: list[dict] = [{"type": "from_entity", "entity": slot, "conditions": [{"active_loop": flow.form}]}]
    kind = flow.kind(step)
    if kind == "bool":
        maps += [{"type": "from_intent", "intent": "affirm", "value": True, "conditions": req},
                 {"type": "from_intent", "intent": "deny", "value": False, "conditions": req}]
    if kind in ("date", "datetime"):
        maps.append({"type": "from_entity", "entity": "date", "conditions": req})
    maps.append({"type": "from_text", "not_intent": list(NEVER_ANSWER), "conditions": req})
    return maps


def control_mappings(flow: Flow, name: str) -> list[dict]:
    slot = flow.control_slots[name]
    req = [{"active_loop": flow.form, "requested_slot": slot}]
    maps: list[dict] = [{"type": "from_entity", "entity": slot, "conditions": [{"active_loop": flow.form}]}]
    if name == "bevestiging":
        maps += [{"type": "from_intent", "intent": "affirm", "value": "versturen", "conditions": req},
                 {"type": "from_intent", "intent": "deny", "value": "aanpassen", "conditions": req}]
    if name == "stoppen":
        maps += [{"type": "from_intent", "intent": "affirm", "value": "ja", "conditions": req},
                 {"type": "from_intent", "intent": "deny", "value": "verder", "conditions": req}]
    maps.append({"type": "from_text", "not_intent": list(NEVER_ANSWER), "conditions": req})
    return maps


def build_domain(old: dict | None, fresh: bool) -> dict:
    slots: dict[str, dict] = {}
    forms: dict[str, dict] = {}
    entities: list[str] = []
    seeds = common_responses()
    for flow in FLOWS.values():
        forms[flow.form] = {"required_slots": flow.required_slots}
        slots[flow.control_slots["stoppen"]] = _slot(control_mappings(flow, "stoppen"))
        for step in flow.steps:
            slots[flow.step_slot(step)] = _slot(step_mappings(flow, step))
        for name in ("wijzig", "bevestiging"):
            slots[flow.control_slots[name]] = _slot(control_mappings(flow, name))
        for helper in flow.helper_slots.values():
            slots[helper] = _slot([{"type": "custom"}])
        entities += [s for s in flow.required_slots]
        seeds.update(flow_responses(flow))
    status_req = {s: [{"active_loop": STATUS_FORM, "requested_slot": s}] for s in STATUS_SLOTS.values()}
    forms[STATUS_FORM] = {"required_slots": list(STATUS_SLOTS.values())}
    for name, slot in STATUS_SLOTS.items():
        maps: list[dict] = [{"type": "from_entity", "entity": slot, "conditions": [{"active_loop": STATUS_FORM}]}]
        if name == "vervolg":
            maps += [{"type": "from_intent", "intent": "affirm", "value": "aanvullen", "conditions": status_req[slot]},
                     {"type": "from_intent", "intent": "deny", "value": "klaar", "conditions": status_req[slot]}]
        # The code itself is never stored in a slot: the validator keeps only a marker (see melding_actions).
        maps.append({"type": "from_text", "conditions": status_req[slot]})
        slots[slot] = _slot(maps)
        entities.append(slot)
    for helper in STATUS_HELPERS.values():
        slots[helper] = _slot([{"type": "custom"}])
    slots[ACTIVE_SLOT] = _slot([{"type": "custom"}])
    old_resp = (old or {}).get("responses") or {}
    responses = {k: (v if fresh or k not in old_resp else old_resp[k]) for k, v in seeds.items()}
    for k, v in old_resp.items():  # hand-added responses survive regeneration
        responses.setdefault(k, v)
    actions = []
    for flow in FLOWS.values():
        c = flow.control_slots
        actions += [f"action_start_{flow.form}", f"validate_{flow.form}", f"action_ask_{flow.form}_{c['bevestiging']}",
                    f"action_ask_{flow.form}_{c['wijzig']}", f"action_submit_melding_{flow.key}",
                    f"action_cancel_{flow.form}"]
    actions += [f"action_start_{STATUS_FORM}", f"validate_{STATUS_FORM}", "action_submit_melding_status",
                f"action_cancel_{STATUS_FORM}"]
    return {"version": "3.1", "entities": entities, "slots": slots, "forms": forms, "actions": actions,
            "responses": responses}


def build_rules() -> dict:
    rules = []
    for form, intent, submit in [(f.form, f.intent, f"action_submit_melding_{f.key}") for f in FLOWS.values()] + [
            (STATUS_FORM, "melding_status", "action_submit_melding_status")]:
        name = form.removesuffix("_form")
        rules.append({"rule": f"start {name}", "steps": [{"intent": intent}, {"action": form}, {"active_loop": form}]})
        rules.append({"rule": f"verstuur {name}", "condition": [{"active_loop": form}],
                      "steps": [{"action": form}, {"active_loop": None}, {"slot_was_set": [{"requested_slot": None}]},
                                {"action": submit}]})
    return {"version": "3.1", "rules": rules}


HEADER_DOMAIN = ("# Melding flows (misstand, agressie, ongewenst gedrag, arbeidsongeval, onveilige situatie, status).\n"
                 "# Slots, forms and entities are generated by `python -m actions.melding_flow_domain` from\n"
                 "# actions/melding_flow_spec.py; the responses (all user-facing text) may be edited here and are kept\n"
                 "# when re-generating. Line numbers in texts refer to knowledge/corpus/kerkrade_personeelshandboek.txt.\n")
HEADER_RULES = ("# Generated by `python -m actions.melding_flow_domain` from actions/melding_flow_spec.py.\n")


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False, width=120)


def render_files(fresh: bool = False) -> tuple[str, str]:
    old = yaml.safe_load(DOMAIN_OUT.read_text(encoding="utf-8")) if DOMAIN_OUT.exists() else None
    return HEADER_DOMAIN + dump(build_domain(old, fresh)), HEADER_RULES + dump(build_rules())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fresh", action="store_true", help="rewrite every response from the seeds")
    ap.add_argument("--check", action="store_true", help="only check that the files are up to date")
    args = ap.parse_args(argv)
    from actions.melding_flow_spec import check_spec

    problems = check_spec()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    domain, rules = render_files(args.fresh)
    if args.check:
        stale = [p.name for p, text in ((DOMAIN_OUT, domain), (RULES_OUT, rules))
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print("verouderd: " + ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    DOMAIN_OUT.write_text(domain, encoding="utf-8")
    RULES_OUT.write_text(rules, encoding="utf-8")
    print(f"geschreven: {DOMAIN_OUT.name}, {RULES_OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
