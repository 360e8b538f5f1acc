"""Word pools and makers for fictional but realistic-looking names and codes. Plain Python."""
from __future__ import annotations

import random
import string

_FIRST = ("Ash", "Bram", "Cold", "Dun", "Elm", "Fair", "Gold", "Hart", "Kings", "Lang", "Mill", "Nether", "Oak",
          "Red", "Stan", "Thorn", "Wel", "Whit", "Wood", "Brad", "Chal", "Hol", "Lynd", "Mar", "Pen", "Sel", "Ux",
          "Alder", "Birch", "Crown", "East", "Fern", "Glen", "Hazel", "Ivy", "West", "North", "Rother", "Sand")
_LAST = ("ford", "ley", "ton", "bury", "field", "ham", "worth", "wick", "borough", "dale", "mere", "stead",
         "bridge", "combe", "by", "hurst", "minster", "well", "cote", "chester")
FORENAMES = ("Aisha", "Alan", "Alison", "Amrit", "Andrew", "Angela", "Anne", "Barbara", "Brian", "Carol", "Catherine",
             "Chris", "Claire", "Colin", "David", "Deborah", "Diane", "Edward", "Elaine", "Fiona", "Gareth", "Gillian",
             "Graham", "Hannah", "Helen", "Ian", "Imran", "Jane", "Janet", "Jonathan", "Julie", "Karen", "Keith",
             "Kevin", "Laura", "Linda", "Mark", "Martin", "Mary", "Michael", "Nadia", "Neil", "Nicola", "Patrick",
             "Paul", "Priya", "Rachel", "Rajesh", "Richard", "Robert", "Ruth", "Sally", "Sarah", "Simon", "Stephen",
             "Susan", "Tariq", "Tom", "Tracey", "Vanessa", "Wendy", "Yvonne")
SURNAMES = ("Ahmed", "Allen", "Bailey", "Baker", "Bell", "Bennett", "Brooks", "Campbell", "Carter", "Chapman",
            "Clarke", "Cole", "Cooper", "Davies", "Dixon", "Edwards", "Ellis", "Evans", "Fisher", "Fletcher", "Foster",
            "Gray", "Green", "Hall", "Harris", "Hughes", "Hussain", "Jackson", "James", "Johnson", "Kaur", "Kelly",
            "Khan", "King", "Knight", "Lewis", "Marshall", "Mason", "Mills", "Moore", "Morgan", "Murphy", "Owen",
            "Palmer", "Parker", "Patel", "Pearson", "Phillips", "Price", "Reid", "Richards", "Roberts", "Robinson",
            "Shaw", "Singh", "Stevens", "Taylor", "Thomas", "Turner", "Walker", "Ward", "Watson", "Webb", "Wood",
            "Wright", "Young")
_STREETS = ("Abbey Road", "Albion Street", "Bank House", "Bridge Street", "Castle Street", "Church Lane",
            "Elm Grove", "Fairfield", "Garden Lane", "Grange Road", "High Street", "Hill Top", "Kingsway",
            "London Road", "Manor Road", "Market Place", "Mill Lane", "Northgate", "Oak Tree", "Park Road",
            "Priory", "Queen Street", "Riverside", "St John's", "St Mary's", "Station Road", "The Green",
            "Victoria Road", "Westgate", "Willow Bank", "Windmill Hill", "York Road")
_TREES = ("Beech", "Cedar", "Chestnut", "Hawthorn", "Laurel", "Linden", "Maple", "Rowan", "Sycamore", "Willow")
_ADJECTIVES = ("Bright", "Caring", "Golden", "Helping", "Kind", "Open", "Safe", "Silver", "Steady", "Willing")
_HOUSES = ("Ashdown", "Beaumont", "Clarendon", "Elmhurst", "Fernlea", "Hollybank", "Lavender", "Meadowcroft",
           "Oakwood", "Primrose", "Rosebank", "Southview", "Springfield", "Sunnyside", "Woodlands")

TOWNS: tuple[str, ...] = tuple(a + b for a in _FIRST for b in _LAST if a[-1] != b[0])
SECTOR_TEMPLATES: dict[str, tuple[str, ...]] = {
    "acute": ("{town} Hospitals NHS Foundation Trust", "{town} and {town2} Hospitals NHS Trust",
              "{town} General Hospital NHS Trust", "{town} University Hospitals NHS Foundation Trust",
              "{town} and District Hospitals NHS Foundation Trust"),
    "mental_health": ("{town} and {town2} Partnership NHS Foundation Trust", "{town} Mental Health NHS Trust",
                      "{town} Care NHS Foundation Trust", "{town} Healthcare Partnership NHS Trust"),
    "community": ("{town} Community Health Services NHS Trust", "{town} Community Healthcare CIC",
                  "{town} Health and Care NHS Trust", "{town} Community Services Partnership"),
    "primary_care": ("{street} Surgery", "{town} Medical Centre", "{street} Medical Practice",
                     "The {tree} Practice", "{town} Health Centre", "Dr {surname} and Partners",
                     "{town} GP Federation"),
    "independent_social_care": ("{house} House Care Home", "{town} Home Care Ltd", "{adjective} Care Services Ltd",
                                "{house} Lodge Nursing Home", "{town} Domiciliary Care",
                                "{surname} Court Residential Home", "{adjective} Hands Home Care"),
    "housing": ("{town} Homes", "{town} Housing Association", "{adjective} Housing Trust",
                "{town} Community Housing", "{house} Housing Group"),
    "voluntary": ("{town} Carers Centre", "{town} Council for Voluntary Service", "{town} Community Transport",
                  "{town} Befriending Scheme", "{town} Hospice", "Friends of {town} Hospital",
                  "{town} Older People's Forum"),
}


class NameMaker:
    """Hands out unique organisation names and codes from one random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.names: set[str] = set()
        self.codes: set[str] = set()

    def organisation(self, sector: str) -> str:
        """A unique fictional organisation name for a sector."""
        for _ in range(200):
            name = self.rng.choice(SECTOR_TEMPLATES[sector]).format(
                town=self.rng.choice(TOWNS), town2=self.rng.choice(TOWNS), street=self.rng.choice(_STREETS),
                tree=self.rng.choice(_TREES), surname=self.rng.choice(SURNAMES),
                adjective=self.rng.choice(_ADJECTIVES), house=self.rng.choice(_HOUSES))
            if name not in self.names:
                self.names.add(name)
                return name
        raise RuntimeError(f"ran out of names for {sector}")

    def code(self, sector: str) -> str:
        """A unique code shaped like the real ones: ODS for NHS bodies, CQC location ID, or a local code."""
        letters = string.ascii_uppercase + string.digits
        for _ in range(1000):
            if sector in ("acute", "mental_health", "community", "ambulance"):
                code = "R" + self.rng.choice(string.ascii_uppercase) + self.rng.choice(letters)
            elif sector == "primary_care":
                code = self.rng.choice("ABCDEFGHJKLMNPY") + f"{self.rng.randint(81000, 89999)}"
            elif sector == "independent_social_care":
                code = f"1-{self.rng.randint(100000000, 4999999999)}"
            elif sector == "housing":
                code = f"LH{self.rng.randint(1000, 9999)}"
            else:
                code = f"VCS{self.rng.randint(10000, 99999)}"
            if code not in self.codes:
                self.codes.add(code)
                return code
        raise RuntimeError(f"ran out of codes for {sector}")

    def ccg_code(self) -> str:
        """A unique CCG-shaped ODS code such as 03K."""
        while True:
            code = f"{self.rng.randint(0, 99):02d}{self.rng.choice('ABCDEFGHJKLMNPQRTVWXY')}"
            if code not in self.codes:
                self.codes.add(code)
                return code


def seeded(*parts: object) -> random.Random:
    """A random source fixed by its parts, so the demo data is the same on every run (not for secrets)."""
    return random.Random(":".join(str(p) for p in parts))  # noqa: S311 - reproducible fiction, not security


def person(rng: random.Random, title: str = "") -> str:
    """A fictional person's name, with an optional title such as Cllr or Dr."""
    name = f"{rng.choice(FORENAMES)} {rng.choice(SURNAMES)}"
    return f"{title} {name}" if title else name


def hex_ref(rng: random.Random, prefix: str, digits: int) -> str:
    """A reference like the app's own (EV-1A2B3C4D5E6F), drawn from the seeded source."""
    return prefix + "".join(rng.choice("0123456789ABCDEF") for _ in range(digits))
