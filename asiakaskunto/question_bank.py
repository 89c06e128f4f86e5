"""The default question bank of DESIGN.md: the nine seed questions and the optional CSAT and CES.

Every organisation created gets its own copy (``asiakaskunto.questions.create_default_bank``);
leadership edits its copy in the app afterwards. Migrations never read this file: each carries
its own frozen copy of what it loads.
"""

DEFAULT_QUESTIONS = [
    # code, method, area, metric, scale, asks_why, fi, en, sv
    ("OBS1", "OBSERVATION", "ATTITUDE", "", "FIVE_POINT", False,
     "Irtoaako asiakashymy helposti?",
     "Does the customer smile come easily?",
     "Kommer kundleendet lätt?"),
    ("OBS2", "OBSERVATION", "ATTITUDE", "", "FIVE_POINT", False,
     "Huomioiko myyjä jokaisen asiakkaan?",
     "Does the salesperson acknowledge every customer?",
     "Uppmärksammar säljaren varje kund?"),
    ("OBS3", "OBSERVATION", "SKILLS", "", "FIVE_POINT", False,
     "Onko myyjä aidosti valmiina auttamaan ja palvelemaan?",
     "Is the salesperson genuinely ready to help and serve?",
     "Är säljaren verkligen redo att hjälpa och betjäna?"),
    ("MYS1", "MYSTERY_SHOP", "KNOWLEDGE", "", "FIVE_POINT", True,
     "Millaiset ovat myyjän tiedot omista tuotteistaan ja palveluistaan?",
     "How good is the salesperson's knowledge of their own products and services?",
     "Hur goda är säljarens kunskaper om sina egna produkter och tjänster?"),
    ("MYS2", "MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT", True,
     "Miten halukas ja kykenevä myyjä on ratkaisemaan tarpeesi?",
     "How willing and able is the salesperson to solve your need?",
     "Hur villig och kapabel är säljaren att lösa ditt behov?"),
    ("MYS3", "MYSTERY_SHOP", "ATTITUDE", "", "FIVE_POINT", True,
     "Miten hyvin myyjä ymmärtää tarpeesi ja tilanteesi?",
     "How well does the salesperson understand your need and situation?",
     "Hur väl förstår säljaren ditt behov och din situation?"),
    ("CUS1", "CUSTOMER", "SKILLS", "", "FIVE_POINT", True,
     "Saitko sen mitä tulit hakemaan?",
     "Did you get what you came for?",
     "Fick du det du kom för?"),
    ("CUS2", "CUSTOMER", "LOYALTY", "", "FIVE_POINT", True,
     "Aiotko asioida jatkossakin meillä?",
     "Will you do business with us again?",
     "Tänker du handla hos oss även i fortsättningen?"),
    ("CUS3", "CUSTOMER", "LOYALTY", "NPS", "ELEVEN_POINT", True,
     "Suosittelisitko tuotteitamme ja palveluitamme kavereillesi?",
     "Would you recommend our products and services to your friends?",
     "Skulle du rekommendera våra produkter och tjänster till dina vänner?"),
    # Optional metrics, switched per organisation (Organisation.survey_csat / survey_ces).
    ("CSAT", "CUSTOMER", "", "CSAT", "FIVE_POINT", False,
     "Kuinka tyytyväinen olit saamaasi palveluun?",
     "How satisfied were you with the service you received?",
     "Hur nöjd var du med den service du fick?"),
    ("CES", "CUSTOMER", "", "CES", "FIVE_POINT", False,
     "Kuinka helppoa asiasi hoitaminen oli? (5 = erittäin helppoa)",
     "How easy was it to get your matter handled? (5 = very easy)",
     "Hur lätt var det att få ditt ärende skött? (5 = mycket lätt)"),
]  # fmt: skip


# The richer bank written from the seed texts (Finnish first): knowledge of the customer for each
# method, greeting ("Älä koskaan jätä tervehtimättä asiakasta!"), waiting before contact, needs
# mapped ("Kartoita asiakkaan tarpeet joka kerta erikseen"), expectations exceeded ("Ylitä
# asiakkaan odotukset joka palvelukerralla") and acting on the customer promise
# ("aidosti asiakaslupauksen mukaista toimintaa"). They start NOT in use: switching one on
# changes what every form asks and every salesperson's area scores, so leadership chooses them
# in the bank editor (where they are listed, ready) rather than finding its forms grown
# overnight; the nine seed questions stay the default form, as DESIGN.md has it.
RICHER_QUESTIONS = [
    # code, method, area, metric, scale, asks_why, fi, en, sv
    ("OBS10", "OBSERVATION", "ATTITUDE", "", "YES_PARTLY_NO", False,
     "Tervehtikö myyjä jokaista asiakasta?",
     "Did the salesperson greet every customer?",
     "Hälsade säljaren på varje kund?"),
    ("OBS11", "OBSERVATION", "SKILLS", "", "YES_PARTLY_NO", False,
     "Saiko jokainen asiakas kontaktin myyjään odottamatta pitkään?",
     "Did every customer get contact with a salesperson without a long wait?",
     "Fick varje kund kontakt med en säljare utan att vänta länge?"),
    ("OBS12", "OBSERVATION", "SKILLS", "", "FIVE_POINT", False,
     "Kartoittiko myyjä asiakkaan tarpeet ennen kuin tarjosi ratkaisua?",
     "Did the salesperson map the customer's needs before offering a solution?",
     "Kartlade säljaren kundens behov innan hen erbjöd en lösning?"),
    ("OBS13", "OBSERVATION", "KNOWLEDGE", "", "FIVE_POINT", False,
     "Tunteeko myyjä asiakkaansa ja heidän aiemmat asiointinsa?",
     "Does the salesperson know their customers and their earlier dealings?",
     "Känner säljaren sina kunder och deras tidigare ärenden?"),
    ("MYS10", "MYSTERY_SHOP", "ATTITUDE", "", "YES_PARTLY_NO", False,
     "Tervehdittiinkö sinua, kun tulit sisään?",
     "Were you greeted when you came in?",
     "Blev du hälsad när du kom in?"),
    ("MYS11", "MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT", True,
     "Kuinka pian myyjä otti sinuun kontaktin? (5 = heti)",
     "How soon did a salesperson make contact with you? (5 = at once)",
     "Hur snart tog en säljare kontakt med dig? (5 = genast)"),
    ("MYS12", "MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT", True,
     "Kartoittiko myyjä tarpeesi kysymällä ennen kuin tarjosi jotain?",
     "Did the salesperson map your needs by asking before offering anything?",
     "Kartlade säljaren ditt behov genom att fråga innan hen erbjöd något?"),
    ("MYS13", "MYSTERY_SHOP", "KNOWLEDGE", "", "FIVE_POINT", True,
     "Selvittikö myyjä, kuka olet asiakkaana ja mitä sinulla on ennestään?",
     "Did the salesperson find out who you are as a customer and what you already have?",
     "Tog säljaren reda på vem du är som kund och vad du redan har?"),
    ("MYS14", "MYSTERY_SHOP", "ATTITUDE", "", "FIVE_POINT", True,
     "Ylittikö palvelu odotuksesi?",
     "Did the service exceed your expectations?",
     "Överträffade servicen dina förväntningar?"),
    ("MYS15", "MYSTERY_SHOP", "SKILLS", "", "FIVE_POINT", True,
     "Toimiko myyjä asiakaslupauksemme mukaisesti?",
     "Did the salesperson act on our customer promise?",
     "Agerade säljaren enligt vårt kundlöfte?"),
    ("CUS10", "CUSTOMER", "ATTITUDE", "", "YES_PARTLY_NO", False,
     "Tervehdittiinkö sinua, kun tulit asioimaan?",
     "Were you greeted when you came?",
     "Blev du hälsad när du kom?"),
    ("CUS11", "CUSTOMER", "SKILLS", "", "FIVE_POINT", False,
     "Pääsitkö palveltavaksi odottamatta liian kauan? (5 = heti)",
     "Were you served without waiting too long? (5 = at once)",
     "Blev du betjänad utan att vänta för länge? (5 = genast)"),
    ("CUS12", "CUSTOMER", "SKILLS", "", "FIVE_POINT", True,
     "Kysyikö myyjä, mitä tarvitset, ennen kuin tarjosi ratkaisua?",
     "Did the salesperson ask what you need before offering a solution?",
     "Frågade säljaren vad du behöver innan hen erbjöd en lösning?"),
    ("CUS13", "CUSTOMER", "KNOWLEDGE", "", "FIVE_POINT", True,
     "Tunsiko myyjä sinut ja aiemmat asiointisi meillä?",
     "Did the salesperson know you and your earlier dealings with us?",
     "Kände säljaren dig och dina tidigare ärenden hos oss?"),
    ("CUS14", "CUSTOMER", "LOYALTY", "", "FIVE_POINT", True,
     "Ylittikö palvelu odotuksesi?",
     "Did the service exceed your expectations?",
     "Överträffade servicen dina förväntningar?"),
    ("CUS15", "CUSTOMER", "SKILLS", "", "FIVE_POINT", True,
     "Pitikö palvelu sen, mitä lupaamme asiakkaillemme?",
     "Did the service keep what we promise our customers?",
     "Höll servicen det vi lovar våra kunder?"),
]  # fmt: skip


def default_rows() -> list[dict]:
    """The default bank as the fields of each question, in the order the forms ask them: the
    seed questions in use, then the richer ones not in use (``RICHER_QUESTIONS``)."""
    rows = []
    seeds = len(DEFAULT_QUESTIONS)
    for position, row in enumerate([*DEFAULT_QUESTIONS, *RICHER_QUESTIONS], start=1):
        code, method, area, metric, scale, asks_why, fi, en, sv = row
        rows.append(
            {
                "code": code,
                "method": method,
                "area": area,
                "metric": metric,
                "scale": scale,
                "asks_why": asks_why,
                # CSAT and CES are optional for the customer; the areas' questions are required.
                "required": metric not in ("CSAT", "CES"),
                "active": position <= seeds,
                "position": position,
                "text_fi": fi,
                "text_en": en,
                "text_sv": sv,
            }
        )
    return rows
