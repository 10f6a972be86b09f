"""The fixed content behind `manage.py seed_demo`: catalogues, names and words.

Nothing here is random; the command draws from these lists with a seeded
generator so that every run builds the same community.
"""

import datetime

# Demo players get addresses on a reserved top-level domain (RFC 2606), so no
# mail to them can ever leave the building. The domain also marks them as demo.
DEMO_EMAIL_DOMAIN = "demo.deltacrown.test"

# Dates are fixed rather than taken from the clock, so two runs agree.
ANCHOR = datetime.datetime(2026, 11, 30, 18, 0, tzinfo=datetime.UTC)
HISTORY_DAYS = 700

# The three documented logins. README lists them; keep the two in step.
ADMIN_LOGIN = ("admin", "deltacrown-admin-2026")
MODERATOR_LOGIN = ("moderator", "deltacrown-mod-2026")
PLAYER_LOGIN = ("rakib", "deltacrown-player-2026")
# The group and its permissions come from the apps' migrations.
MODERATORS_GROUP = "Moderators"
# Open reports for the demo moderator: (reporter, reported) by place among the
# planned players, with a reason and a note.
REPORTS = [
    (10, 12, "cheating", "Won every round of the Dhaka Open without a single miss."),
    (11, 12, "offensive", "The bio insults other teams."),
    (13, 14, "spam", "Posts a betting site in every social link."),
]

GAMES = [
    {
        "slug": "valorant",
        "name": "Valorant",
        "short_name": "VAL",
        "colour": "#ff4655",
        "id_label": "Riot ID",
        "id_format": r"^[^#]{3,16}#[A-Za-z0-9]{3,5}$",
        "id_example": "Phantom#BD1",
        "ranks": [
            "Iron 3",
            "Bronze 2",
            "Silver 1",
            "Silver 3",
            "Gold 2",
            "Platinum 1",
            "Platinum 3",
            "Diamond 2",
            "Ascendant 1",
            "Immortal 2",
            "Radiant",
        ],
        "regions": ["Asia Pacific (Mumbai)", "Asia Pacific (Singapore)"],
    },
    {
        "slug": "pubg-mobile",
        "name": "PUBG Mobile",
        "short_name": "PUBGM",
        "colour": "#f2a900",
        "id_label": "Character ID",
        "id_format": r"^\d{9,12}$",
        "id_example": "5123456789",
        "ranks": [
            "Silver IV",
            "Gold II",
            "Platinum V",
            "Platinum I",
            "Diamond III",
            "Crown V",
            "Crown I",
            "Ace",
            "Ace Master",
            "Conqueror",
        ],
        "regions": ["Asia", "Middle East"],
    },
    {
        "slug": "free-fire",
        "name": "Free Fire",
        "short_name": "FF",
        "colour": "#ff7a00",
        "id_label": "Player UID",
        "id_format": r"^\d{8,12}$",
        "id_example": "2218765432",
        "ranks": [
            "Bronze III",
            "Silver II",
            "Gold IV",
            "Platinum II",
            "Diamond IV",
            "Diamond I",
            "Heroic",
            "Grandmaster",
        ],
        "regions": ["Bangladesh", "India", "Middle East"],
    },
    {
        "slug": "efootball",
        "name": "eFootball",
        "short_name": "eFB",
        "colour": "#1d4ed8",
        "id_label": "User ID",
        "id_format": r"^[A-Z]{4}-\d{3}-\d{3}-\d{3}$",
        "id_example": "KDHR-482-195-736",
        "ranks": [
            "Division 9",
            "Division 7",
            "Division 5",
            "Division 4",
            "Division 3",
            "Division 2",
            "Division 1",
        ],
        "regions": ["Asia", "Europe"],
    },
    {
        "slug": "cs2",
        "name": "Counter-Strike 2",
        "short_name": "CS2",
        "colour": "#de9b35",
        "id_label": "SteamID64",
        "id_format": r"^7656119\d{10}$",
        "id_example": "76561198012345678",
        "ranks": [
            "CS Rating 4,850",
            "CS Rating 7,200",
            "CS Rating 9,940",
            "CS Rating 12,310",
            "CS Rating 15,600",
            "CS Rating 18,050",
            "FACEIT Level 6",
            "FACEIT Level 8",
            "FACEIT Level 10",
        ],
        "regions": ["Asia", "Europe"],
    },
    {
        "slug": "mobile-legends",
        "name": "Mobile Legends: Bang Bang",
        "short_name": "MLBB",
        "colour": "#3b82f6",
        "id_label": "User ID (Zone ID)",
        "id_format": r"^\d{6,12} \(\d{4,5}\)$",
        "id_example": "123456789 (1234)",
        "ranks": [
            "Grandmaster II",
            "Epic IV",
            "Epic I",
            "Legend III",
            "Legend I",
            "Mythic",
            "Mythical Honor",
            "Mythical Glory",
            "Mythical Immortal",
        ],
        "regions": ["Bangladesh", "Malaysia", "Singapore"],
    },
]

# Tournament names per game slug; match titles read "<name> <year> — <stage>".
TOURNAMENTS = {
    "valorant": [
        "Dhaka Valorant Open",
        "Bangla Spike Cup",
        "DeltaCrown Valorant Weekly",
    ],
    "pubg-mobile": [
        "PUBG Mobile Bangladesh Showdown",
        "Chattogram PUBG Mobile Clash",
        "DeltaCrown Chicken Dinner Cup",
    ],
    "free-fire": [
        "Free Fire Bangladesh Masters",
        "Sylhet Booyah Cup",
        "DeltaCrown FF Friday",
    ],
    "efootball": [
        "Dhaka Derby eFootball Cup",
        "Bangladesh eFootball League",
        "DeltaCrown eFootball Knockout",
    ],
    "cs2": ["Dhaka CS2 LAN", "Bengal CS2 Major Qualifier", "DeltaCrown CS2 Night"],
    "mobile-legends": [
        "MLBB Bangladesh Cup",
        "Land of Dawn Dhaka Invitational",
        "DeltaCrown MLBB Clash",
    ],
}
STAGES = [
    "Group A — Round 1",
    "Group B — Round 2",
    "Group C — Round 3",
    "Round of 32",
    "Round of 16",
    "Quarter-final",
    "Semi-final",
    "Third-place match",
    "Grand final",
    "Week 2",
    "Week 5",
    "Lower bracket — Round 2",
    "Upper bracket final",
]
EXTERNAL_OPPONENTS = [
    "Narayanganj Ninjas",
    "Comilla Cobras",
    "Barishal Blitz",
    "Rangpur Rangers",
    "Mymensingh Mavericks",
    "Gazipur Gladiators",
    "Bogura Bulls",
    "Team Kolkata Knights",
]

ACHIEVEMENTS = [
    (
        "first-blood",
        "First Blood",
        "🩸",
        "common",
        10,
        "Played a first DeltaCrown match.",
        None,
    ),
    ("on-a-roll", "On a Roll", "🔥", "common", 15, "Won three matches in a row.", None),
    ("squad-up", "Squad Up", "🤝", "common", 10, "Joined a team on DeltaCrown.", None),
    (
        "globetrotter",
        "Globetrotter",
        "🗺️",
        "rare",
        25,
        "Linked passports for three different games.",
        None,
    ),
    (
        "community-voice",
        "Community Voice",
        "📣",
        "rare",
        20,
        "Reached 25 followers.",
        None,
    ),
    (
        "clutch-king",
        "Clutch King",
        "👑",
        "epic",
        50,
        "Won a 1v3 clutch in a tournament round.",
        "valorant",
    ),
    (
        "ace",
        "Ace",
        "🎯",
        "rare",
        30,
        "Eliminated all five opponents in one round.",
        "valorant",
    ),
    (
        "chicken-dinner",
        "Chicken Dinner",
        "🍗",
        "common",
        15,
        "Finished first in a PUBG Mobile match.",
        "pubg-mobile",
    ),
    ("booyah", "Booyah!", "💥", "common", 15, "Won a Free Fire match.", "free-fire"),
    (
        "hat-trick-hero",
        "Hat-trick Hero",
        "⚽",
        "rare",
        25,
        "Scored three goals in one eFootball match.",
        "efootball",
    ),
    (
        "savage",
        "Savage",
        "⚔️",
        "epic",
        50,
        "Scored a Savage in Mobile Legends.",
        "mobile-legends",
    ),
    (
        "headhunter",
        "Headhunter",
        "💀",
        "rare",
        30,
        "Landed 70% headshots over a CS2 series.",
        "cs2",
    ),
    (
        "grand-finalist",
        "Grand Finalist",
        "🥈",
        "epic",
        60,
        "Reached the grand final of a DeltaCrown tournament.",
        None,
    ),
    (
        "champion",
        "Champion",
        "🏆",
        "legendary",
        100,
        "Won a DeltaCrown tournament.",
        None,
    ),
    (
        "paid-out",
        "Paid Out",
        "💸",
        "rare",
        20,
        "Received prize money to a mobile wallet.",
        None,
    ),
    (
        "veteran",
        "Veteran",
        "🎖️",
        "legendary",
        80,
        "Played 100 matches on DeltaCrown.",
        None,
    ),
]

# name, tag, slug, game slug, roster size
TEAMS = [
    ("Bengal Tigers Esports", "BTE", "bengal-tigers-esports", "valorant", 5),
    ("Dhaka Phantoms", "DPH", "dhaka-phantoms", "valorant", 5),
    ("Sundarbans Strikers", "SBS", "sundarbans-strikers", "pubg-mobile", 4),
    ("Padma Raiders", "PDR", "padma-raiders", "pubg-mobile", 4),
    ("Chattogram Blaze", "CTGB", "chattogram-blaze", "free-fire", 4),
    ("Sylhet Storm", "SYS", "sylhet-storm", "free-fire", 4),
    ("Rajshahi Royals", "RJR", "rajshahi-royals", "efootball", 3),
    ("Jamuna Jaguars", "JMJ", "jamuna-jaguars", "efootball", 3),
    ("Crimson Crown", "CRC", "crimson-crown", "cs2", 5),
    ("Old Dhaka Outlaws", "ODO", "old-dhaka-outlaws", "cs2", 5),
    ("Khulna Krakens", "KKR", "khulna-krakens", "mobile-legends", 5),
    ("Meghna Mystics", "MGM", "meghna-mystics", "mobile-legends", 5),
]

# (English, Bangla) name parts.
MALE_FIRST = [
    ("Tanvir", "তানভীর"),
    ("Shakil", "শাকিল"),
    ("Arif", "আরিফ"),
    ("Sabbir", "সাব্বির"),
    ("Imran", "ইমরান"),
    ("Fahim", "ফাহিম"),
    ("Rifat", "রিফাত"),
    ("Sakib", "সাকিব"),
    ("Nayeem", "নাঈম"),
    ("Tamim", "তামিম"),
    ("Rashed", "রাশেদ"),
    ("Jubayer", "জুবায়ের"),
    ("Mehedi", "মেহেদী"),
    ("Ashik", "আশিক"),
    ("Rafi", "রাফি"),
    ("Siam", "সিয়াম"),
    ("Anik", "অনিক"),
    ("Riyad", "রিয়াদ"),
    ("Shanto", "শান্ত"),
    ("Emon", "ইমন"),
    ("Hasib", "হাসিব"),
    ("Tahsin", "তাহসিন"),
    ("Mahmud", "মাহমুদ"),
    ("Sourav", "সৌরভ"),
    ("Arnob", "অর্ণব"),
    ("Pritom", "প্রীতম"),
    ("Zubair", "জুবাইর"),
    ("Nafis", "নাফিস"),
]
FEMALE_FIRST = [
    ("Nusrat", "নুসরাত"),
    ("Farzana", "ফারজানা"),
    ("Sadia", "সাদিয়া"),
    ("Tasnim", "তাসনিম"),
    ("Mim", "মিম"),
    ("Anika", "আনিকা"),
    ("Jannat", "জান্নাত"),
    ("Sumaiya", "সুমাইয়া"),
    ("Raisa", "রাইসা"),
    ("Tanjila", "তানজিলা"),
    ("Lamia", "লামিয়া"),
    ("Nabila", "নাবিলা"),
    ("Afsana", "আফসানা"),
    ("Ishrat", "ইশরাত"),
    ("Tahmina", "তাহমিনা"),
    ("Ritu", "ঋতু"),
]
LAST = [
    ("Hasan", "হাসান"),
    ("Ahmed", "আহমেদ"),
    ("Islam", "ইসলাম"),
    ("Rahman", "রহমান"),
    ("Hossain", "হোসেন"),
    ("Chowdhury", "চৌধুরী"),
    ("Khan", "খান"),
    ("Sarkar", "সরকার"),
    ("Karim", "করিম"),
    ("Uddin", "উদ্দিন"),
    ("Talukder", "তালুকদার"),
    ("Biswas", "বিশ্বাস"),
    ("Das", "দাস"),
    ("Roy", "রায়"),
    ("Saha", "সাহা"),
    ("Barua", "বড়ুয়া"),
    ("Chakma", "চাকমা"),
    ("Kabir", "কবির"),
    ("Alam", "আলম"),
    ("Mollah", "মোল্লা"),
]
FEMALE_LAST = [("Jahan", "জাহান"), ("Akter", "আক্তার"), ("Sultana", "সুলতানা")]

# Gamer words for usernames and in-game names.
TAGS = [
    "ace",
    "ff",
    "gg",
    "pro",
    "bd",
    "op",
    "hs",
    "snipe",
    "king",
    "storm",
    "nova",
    "blaze",
    "viper",
    "ghost",
    "rush",
    "clutch",
    "frag",
    "zen",
    "wolf",
    "tiger",
    "spark",
    "shadow",
    "hawk",
    "titan",
    "reaper",
    "phoenix",
    "cobra",
    "mamba",
]

COUNTRIES = [
    # country, weight, time zone
    ("BD", 84, "Asia/Dhaka"),
    ("IN", 3, "Asia/Kolkata"),
    ("AE", 3, "Asia/Dubai"),
    ("SA", 2, "Asia/Riyadh"),
    ("MY", 2, "Asia/Kuala_Lumpur"),
    ("NP", 2, "Asia/Kathmandu"),
    ("QA", 1, "Asia/Qatar"),
    ("GB", 2, "Europe/London"),
    ("US", 1, "America/New_York"),
]
CITIES = [
    "Dhaka",
    "Chattogram",
    "Sylhet",
    "Rajshahi",
    "Khulna",
    "Barishal",
    "Rangpur",
    "Mymensingh",
    "Cumilla",
    "Gazipur",
    "Narayanganj",
    "Bogura",
]

BIO_EN = [
    "{game} player from {city}. Grinding ranked every night after class.",
    "IGL for my squad in {game}. Calm comms, loud clutches.",
    "{city} born and raised. {game} since day one, streaming on weekends.",
    "Support main in {game}. I make the plays that make your highlights.",
    "Weekend warrior in {game}. Open to scrims, DM on Discord.",
    "Chasing my first LAN trophy in {game}. Dhaka tournaments are the best.",
    "Uni student by day, {game} entry fragger by night.",
]
BIO_BN = [
    "{city} থেকে {game} খেলি। প্রতিদিন রাতে র‍্যাঙ্কড।",
    "{game} টিমের ক্যাপ্টেন। ঠান্ডা মাথায় খেলি, জোরে জিতি।",
    "২০১৯ থেকে {game} খেলছি। টুর্নামেন্টে দেখা হবে!",
    "স্কুলের পরে {game}, ছুটির দিনে স্ট্রিম।",
    "{city}-এর গেমার। স্ক্রিমের জন্য ডিসকর্ডে মেসেজ দিন।",
]

RAKIB_BIO = (
    "Valorant IGL and captain of Bengal Tigers Esports. Dhaka Valorant Open "
    "finalist, eFootball on the side. ঢাকা থেকে খেলি, স্ট্রিম করি প্রতি শুক্রবার।"
)

COMMUNITY_SETTINGS = {
    "community_name": "DeltaCrown",
    "footer_text": "DeltaCrown — esports for Bangladesh. Play fair, play proud.",
    "facebook_url": "https://www.facebook.com/deltacrown.gg",
    "discord_url": "https://discord.gg/deltacrown",
    "youtube_url": "https://www.youtube.com/@deltacrown",
    "announcement": "Dhaka Valorant Open: team registration closes this Friday.",
}

HOME = {
    "title": "DeltaCrown",
    "hero_title": "Bangladesh's home of competitive gaming",
    "hero_text": (
        "Weekly cups in Valorant, PUBG Mobile, Free Fire, eFootball, CS2 and "
        "Mobile Legends. Build your profile, find a team and get paid straight "
        "to bKash, Nagad or Rocket."
    ),
}

NEWS_INDEX = {
    "title": "News",
    "slug": "news",
    "intro": "Results, announcements and stories from the DeltaCrown community.",
}

# Each body is a list of (block type, value); paragraph values are HTML.
NEWS = [
    {
        "slug": "dhaka-valorant-open-2026-bengal-tigers-comeback",
        "title": "Dhaka Valorant Open 2026: Bengal Tigers complete the comeback",
        "date": datetime.date(2026, 11, 24),
        "intro": (
            "Down 0–2 in the grand final, Bengal Tigers Esports won three maps in "
            "a row to lift the biggest Valorant trophy of the year."
        ),
        "body": [
            ("heading", "A final for the ages"),
            (
                "paragraph",
                (
                    "<p>More than 9,000 viewers watched the grand final of the "
                    "<b>Dhaka Valorant Open</b> on Sunday night. Dhaka Phantoms took "
                    "Ascent and Lotus with tidy executes, and for an hour the trophy "
                    "looked settled.</p>"
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Then Bengal Tigers switched to a slower default on Bind and "
                    "never looked back. Captain Rakib Hasan called a 13–9, 13–11, "
                    "14–12 reverse sweep, the first in the event's history.</p>"
                ),
            ),
            (
                "quote",
                (
                    "We stopped playing their game. Three maps of patience, and the "
                    "crowd in Mirpur carried us through overtime."
                ),
            ),
            ("heading", "Prize money already paid"),
            (
                "paragraph",
                (
                    "<p>The ৳2,50,000 prize pool was paid out within 48 hours to "
                    "players' bKash and Nagad wallets. Full brackets and match history "
                    "are on each player's profile.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "free-fire-bangladesh-masters-winter-registrations",
        "title": "Free Fire Bangladesh Masters: winter season registrations open",
        "date": datetime.date(2026, 11, 10),
        "intro": (
            "128 squads, four weeks of online qualifiers and a LAN final in "
            "Chattogram. Sign-ups close on 5 December."
        ),
        "body": [
            ("heading", "How the season works"),
            (
                "paragraph",
                (
                    "<p>Squads of four play three qualifier weeks on the Bangladesh "
                    "server. The top 16 by points meet at the LAN final in "
                    "Chattogram in January.</p>"
                    "<ul><li>Entry fee: ৳200 per squad, paid from your DeltaCrown "
                    "wallet</li><li>Every player needs a Free Fire passport with a "
                    "valid UID on their profile</li><li>Emulators are not "
                    "allowed</li></ul>"
                ),
            ),
            (
                "quote",
                (
                    "Last season's final was the loudest room I've ever played in. "
                    "Bring your squad."
                ),
            ),
            (
                "paragraph",
                (
                    '<p>Read the <a href="/rules/">rules</a> before you register. '
                    "Questions go to the #free-fire channel on our Discord.</p>"
                ),
            ),
        ],
    },
    {
        "slug": "prize-payouts-to-bkash-nagad-rocket",
        "title": "Prize payouts now go straight to bKash, Nagad or Rocket",
        "date": datetime.date(2026, 10, 28),
        "intro": (
            "Add a mobile-wallet number once in your settings and every prize "
            "you win lands there, usually within two days."
        ),
        "body": [
            ("heading", "Set it up once"),
            (
                "paragraph",
                (
                    "<p>Open <i>Settings → Wallet</i>, enter your bKash, Nagad or "
                    "Rocket number and choose which one we should pay. Numbers are "
                    "shown masked to moderators and never appear on your public "
                    "profile.</p>"
                ),
            ),
            ("heading", "Your ledger, line by line"),
            (
                "paragraph",
                (
                    "<p>Every prize, entry fee and payout is recorded in your wallet "
                    "ledger in taka and poisha, so you can always see where your "
                    "balance came from.</p>"
                ),
            ),
            ("quote", "No more chasing organisers for prize money on Messenger."),
        ],
    },
    {
        "slug": "community-spotlight-womens-pubg-mobile-league",
        "title": "Community spotlight: the women's PUBG Mobile league reaches 64 teams",
        "date": datetime.date(2026, 10, 12),
        "intro": (
            "What began as a weekend scrim group in Sylhet is now the largest "
            "women's league on DeltaCrown."
        ),
        "body": [
            ("heading", "From eight squads to sixty-four"),
            (
                "paragraph",
                (
                    "<p>Nusrat Jahan started the league in 2025 with eight squads and "
                    "a shared spreadsheet. This season it runs on DeltaCrown brackets, "
                    "with caster teams in Bangla and English.</p>"
                ),
            ),
            (
                "quote",
                (
                    "Girls were always playing. They just needed a league where the "
                    "chat was moderated and the prizes were real."
                ),
            ),
            (
                "paragraph",
                (
                    "<p>Season three starts in November. Teams can register from "
                    "their team page; follow the league's organisers for updates.</p>"
                ),
            ),
        ],
    },
]

STANDARD_PAGES = [
    {
        "slug": "about",
        "title": "About",
        "body": (
            "<h2>Esports for Bangladesh</h2>"
            "<p>DeltaCrown runs online cups, leagues and LAN finals for players "
            "across Bangladesh and the diaspora. We started in Dhaka in 2024 with "
            "one Valorant cup and forty players; today thousands of players "
            "compete every week in six games.</p>"
            "<h2>What you get</h2>"
            "<ul><li>A player profile with your game passports, trophies, teams "
            "and full match history</li><li>Brackets run by volunteer admins "
            "and checked by moderators</li><li>Prize money paid to bKash, Nagad "
            "or Rocket</li></ul>"
            "<p>Questions? Find us on Discord or write to "
            "hello@deltacrown.gg.</p>"
        ),
    },
    {
        "slug": "rules",
        "title": "Rules",
        "body": (
            "<h2>Fair play</h2>"
            "<ol><li>One account per person. Smurfing in ranked-restricted "
            "cups leads to disqualification.</li><li>No cheats, scripts, "
            "macros or emulators where the event says mobile only.</li>"
            "<li>The in-game ID on your game passport must be the account you "
            "play on.</li></ol>"
            "<h2>Conduct</h2>"
            "<p>Harassment, hate speech and threats, in Bangla or English, lead "
            "to removal from the event and review of your account. Report "
            "problems to a moderator on Discord with a screenshot.</p>"
            "<h2>Results and disputes</h2>"
            "<p>Captains submit results within 30 minutes of a match. Disputes "
            "need evidence and are settled by the event admin; the admin's "
            "decision is final.</p>"
        ),
    },
    {
        "slug": "privacy-policy",
        "title": "Privacy policy",
        "body": (
            "<h2>What we keep</h2>"
            "<p>Your account email, username, the profile details you choose to "
            "add, your match results and, if you add them, your mobile-wallet "
            "numbers for prize payouts.</p>"
            "<h2>Who sees it</h2>"
            "<p>You decide who sees each part of your profile: everyone, "
            "signed-in members, your followers or only you. Wallet numbers are "
            "never shown on your profile; moderators see them masked.</p>"
            "<h2>Your choices</h2>"
            "<p>You can change your privacy settings at any time, download your "
            "data or ask us to delete your account from your settings page. We "
            "answer deletion requests within 30 days.</p>"
        ),
    },
    {
        "slug": "terms",
        "title": "Terms",
        "body": (
            "<h2>Using DeltaCrown</h2>"
            "<p>You must be at least 13 years old to create an account, and 18 "
            "or have a guardian's consent to receive prize money.</p>"
            "<h2>Prizes</h2>"
            "<p>Prizes are paid in Bangladeshi taka to the wallet you set in "
            "your settings. We may hold a payout while a result is disputed or "
            "an account is under review.</p>"
            "<h2>Changes</h2>"
            "<p>We will tell you about important changes to these terms by "
            "email and on the site at least 14 days before they apply.</p>"
        ),
    },
]
