"""A small demo newsroom of original stories, written for Gaceta, for machines without the
shared data folder. The town of Puerto Claro is invented."""

STORIES = [
    {
        "section": "politics",
        "title": "Puerto Claro council approves night bus pilot after year-long campaign",
        "dek": "Three routes will run until 2 a.m. for six months, paid for by a tourism levy.",
        "alt": "A city bus waiting at a lit stop at night",
        "tags": ["Puerto Claro", "Transport"],
        "paragraphs": [
            "Puerto Claro's city council voted nine to two on Tuesday to run three night bus routes for a six-month trial, ending a campaign by hospitality workers who finish their shifts after the last bus has gone.",
            "The routes will link the port district with the two largest residential neighbourhoods and run every 30 minutes until 2 a.m. The council estimates the trial will cost 4.2 million pesos, to be covered by the tourism levy charged on hotel rooms.",
            "Councillors who voted against said ridership figures should be published monthly. The transport office agreed to post them on the city's open data site.",
        ],
    },
    {
        "section": "business",
        "title": "Fishing cooperative opens its own cold store, cutting out middlemen",
        "dek": "Members say they expect to earn a fifth more per kilo by selling directly to restaurants.",
        "alt": "Crates of fish on ice inside a cold store",
        "tags": ["Puerto Claro", "Fishing"],
        "paragraphs": [
            "The Bahía Norte fishing cooperative opened a cold store on the harbour on Monday, letting its 64 members hold their catch for up to a week instead of selling it the same morning.",
            "Until now, members sold almost all of their fish to two wholesalers who set the price at the quay. The cooperative's treasurer said members expect to earn about 20% more per kilo by selling to restaurants and markets directly.",
            "The store was built with a development bank loan that the cooperative must repay over eight years.",
        ],
    },
    {
        "section": "politics",
        "title": "State election authority publishes polling station map a month early",
        "dek": "Voters can now look up their polling station online or by text message.",
        "alt": "A ballot box on a school desk",
        "tags": ["Elections"],
        "paragraphs": [
            "The state election authority has published the full list of polling stations for next year's municipal elections a month earlier than the law requires, saying it wants to leave time for complaints about access.",
            "Voters can look up their station by entering their voter card number on the authority's site or by sending it in a text message. Stations that are not step-free are marked, and the authority has asked disability groups to report any it has missed.",
        ],
    },
    {
        "section": "business",
        "title": "Small exporters say new customs portal halves paperwork time",
        "dek": "A survey of 120 firms found export forms now take a median of two hours, down from five.",
        "alt": "Shipping containers stacked at a port",
        "tags": ["Trade"],
        "paragraphs": [
            "Small exporters in the region say a customs portal launched in March has cut the time they spend on paperwork by more than half, according to a survey by the regional chamber of commerce.",
            "Of the 120 firms surveyed, most said export forms now take a median of two hours per shipment, down from five. Several complained that the portal is still unavailable for perishable goods, which must be declared on paper.",
        ],
    },
    {
        "section": "politics",
        "title": "Mayor's office to publish every public works contract online",
        "dek": "Contracts worth more than 500,000 pesos will be posted within ten days of signature.",
        "alt": "A stack of documents on a desk",
        "tags": ["Puerto Claro", "Transparency"],
        "paragraphs": [
            "Every public works contract worth more than 500,000 pesos will be posted online within ten days of being signed, Puerto Claro's mayor announced on Thursday.",
            "Transparency groups welcomed the decision but asked that amendments and final costs be published too, since the price of a project often changes after the contract is signed.",
        ],
    },
    {
        "section": "business",
        "title": "Harbour market traders agree rent freeze with city",
        "dek": "The agreement holds stall rents at this year's level until the renovation is finished.",
        "alt": "Shoppers between stalls in a covered market",
        "tags": ["Puerto Claro", "Markets"],
        "paragraphs": [
            "Traders at the harbour market have agreed with the city to keep stall rents at this year's level until renovation of the market hall is finished, ending a dispute that had led to two days of closures.",
            "The city says the work will take 18 months. Traders will move to temporary stalls on the promenade while each wing of the hall is rebuilt.",
        ],
    },
]
