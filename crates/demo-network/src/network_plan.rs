//! What the demo network looks like, before anything is written: the cooperative's three member
//! companies, their org units with head counts per role, the roles and the ESCO occupations they
//! are made from, and who gets a login. Plain data; `lib.rs` writes it.

/// A role of a company, made from an ESCO occupation (by its English preferred label).
#[derive(Debug, Clone, Copy)]
pub struct RolePlan {
    pub key: &'static str,
    pub name: &'static str,
    pub occupation: &'static str,
}

/// An org unit: its name, its parent (an index into the company's units), and how many people of
/// which role work there. The first person of a unit is its head, with the unit's `head_role`.
#[derive(Debug, Clone, Copy)]
pub struct UnitPlan {
    pub name: &'static str,
    pub parent: Option<usize>,
    pub head_role: &'static str,
    pub staff: &'static [(&'static str, u32)],
}

#[derive(Debug, Clone, Copy)]
pub struct CompanyPlan {
    pub slug: &'static str,
    pub name: &'static str,
    /// The domain of the company's e-mail addresses.
    pub domain: &'static str,
    pub what: &'static str,
    pub roles: &'static [RolePlan],
    pub units: &'static [UnitPlan],
    /// The city of the company's training rooms.
    pub city: &'static str,
}

const HR: RolePlan = RolePlan {
    key: "hr",
    name: "Personalreferent/in",
    occupation: "human resources officer",
};
const LND: RolePlan = RolePlan {
    key: "lnd",
    name: "Personalentwickler/in",
    occupation: "corporate training manager",
};
const IT: RolePlan = RolePlan {
    key: "it",
    name: "IT-Administrator/in",
    occupation: "ICT system administrator",
};
const BUYER: RolePlan = RolePlan {
    key: "buyer",
    name: "Einkäufer/in",
    occupation: "purchaser",
};
const WAREHOUSE: RolePlan = RolePlan {
    key: "warehouse",
    name: "Lagerist/in",
    occupation: "warehouse worker",
};
const WAREHOUSE_HEAD: RolePlan = RolePlan {
    key: "warehouse-head",
    name: "Lagerleiter/in",
    occupation: "warehouse manager",
};
const FORKLIFT: RolePlan = RolePlan {
    key: "forklift",
    name: "Staplerfahrer/in",
    occupation: "forklift operator",
};

pub const COMPANIES: [CompanyPlan; 3] = [
    CompanyPlan {
        slug: "frischmarkt",
        name: "Frischmarkt Nord GmbH",
        domain: "frischmarkt-nord.example",
        what: "regional retailer",
        city: "Hamburg",
        roles: &[
            RolePlan {
                key: "shop",
                name: "Verkäufer/in",
                occupation: "shop assistant",
            },
            RolePlan {
                key: "cashier",
                name: "Kassierer/in",
                occupation: "cashier",
            },
            RolePlan {
                key: "butcher",
                name: "Fleischer/in",
                occupation: "butcher",
            },
            RolePlan {
                key: "store-manager",
                name: "Marktleiter/in",
                occupation: "supermarket manager",
            },
            RolePlan {
                key: "executive",
                name: "Geschäftsführer/in",
                occupation: "shop manager",
            },
            BUYER,
            HR,
            LND,
            IT,
        ],
        units: &[
            UnitPlan {
                name: "Frischmarkt Nord",
                parent: None,
                head_role: "executive",
                staff: &[],
            },
            UnitPlan {
                name: "Zentrale Hamburg",
                parent: Some(0),
                head_role: "hr",
                staff: &[("hr", 4), ("lnd", 3), ("it", 5), ("buyer", 6)],
            },
            UnitPlan {
                name: "Region Hamburg",
                parent: Some(0),
                head_role: "store-manager",
                staff: &[],
            },
            UnitPlan {
                name: "Markt Altona",
                parent: Some(2),
                head_role: "store-manager",
                staff: &[("shop", 27), ("cashier", 9), ("butcher", 5)],
            },
            UnitPlan {
                name: "Markt Eimsbüttel",
                parent: Some(2),
                head_role: "store-manager",
                staff: &[("shop", 25), ("cashier", 8), ("butcher", 4)],
            },
            UnitPlan {
                name: "Markt Harburg",
                parent: Some(2),
                head_role: "store-manager",
                staff: &[("shop", 23), ("cashier", 8), ("butcher", 4)],
            },
            UnitPlan {
                name: "Markt Wandsbek",
                parent: Some(2),
                head_role: "store-manager",
                staff: &[("shop", 20), ("cashier", 7), ("butcher", 3)],
            },
            UnitPlan {
                name: "Region Schleswig-Holstein",
                parent: Some(0),
                head_role: "store-manager",
                staff: &[],
            },
            UnitPlan {
                name: "Markt Kiel",
                parent: Some(7),
                head_role: "store-manager",
                staff: &[("shop", 25), ("cashier", 8), ("butcher", 4)],
            },
            UnitPlan {
                name: "Markt Lübeck",
                parent: Some(7),
                head_role: "store-manager",
                staff: &[("shop", 24), ("cashier", 8), ("butcher", 4)],
            },
            UnitPlan {
                name: "Markt Flensburg",
                parent: Some(7),
                head_role: "store-manager",
                staff: &[("shop", 21), ("cashier", 7), ("butcher", 3)],
            },
        ],
    },
    CompanyPlan {
        slug: "nordwaren",
        name: "Nordwaren Großhandel GmbH",
        domain: "nordwaren.example",
        what: "wholesaler",
        city: "Bremen",
        roles: &[
            RolePlan {
                key: "merchant",
                name: "Kaufmann/-frau im Groß- und Außenhandel",
                occupation: "wholesale merchant",
            },
            WAREHOUSE,
            WAREHOUSE_HEAD,
            FORKLIFT,
            BUYER,
            HR,
            LND,
            IT,
        ],
        units: &[
            UnitPlan {
                name: "Nordwaren Großhandel",
                parent: None,
                head_role: "merchant",
                staff: &[],
            },
            UnitPlan {
                name: "Einkauf",
                parent: Some(0),
                head_role: "buyer",
                staff: &[("buyer", 14)],
            },
            UnitPlan {
                name: "Vertrieb",
                parent: Some(0),
                head_role: "merchant",
                staff: &[("merchant", 24)],
            },
            UnitPlan {
                name: "Lager Bremen",
                parent: Some(0),
                head_role: "warehouse-head",
                staff: &[("warehouse", 55), ("forklift", 14)],
            },
            UnitPlan {
                name: "Lager Hannover",
                parent: Some(0),
                head_role: "warehouse-head",
                staff: &[("warehouse", 48), ("forklift", 12)],
            },
            UnitPlan {
                name: "Verwaltung",
                parent: Some(0),
                head_role: "hr",
                staff: &[("hr", 5), ("lnd", 3), ("it", 9)],
            },
        ],
    },
    CompanyPlan {
        slug: "nordlogistik",
        name: "Nordlogistik GmbH",
        domain: "nordlogistik.example",
        what: "logistics company",
        city: "Rostock",
        roles: &[
            RolePlan {
                key: "driver",
                name: "Berufskraftfahrer/in",
                occupation: "cargo vehicle driver",
            },
            RolePlan {
                key: "dispatcher",
                name: "Disponent/in",
                occupation: "freight transport dispatcher",
            },
            RolePlan {
                key: "executive",
                name: "Leiter/in Logistik",
                occupation: "logistics and distribution manager",
            },
            WAREHOUSE,
            FORKLIFT,
            HR,
            LND,
            IT,
        ],
        units: &[
            UnitPlan {
                name: "Nordlogistik",
                parent: None,
                head_role: "executive",
                staff: &[("hr", 3), ("lnd", 2), ("it", 3)],
            },
            UnitPlan {
                name: "Disposition",
                parent: Some(0),
                head_role: "dispatcher",
                staff: &[("dispatcher", 9)],
            },
            UnitPlan {
                name: "Depot Hamburg",
                parent: Some(0),
                head_role: "executive",
                staff: &[("driver", 46), ("warehouse", 12), ("forklift", 5)],
            },
            UnitPlan {
                name: "Depot Rostock",
                parent: Some(0),
                head_role: "executive",
                staff: &[("driver", 38), ("warehouse", 10), ("forklift", 4)],
            },
        ],
    },
];

/// People a company plan names: each unit's head and its staff.
pub fn head_count(company: &CompanyPlan) -> u32 {
    company
        .units
        .iter()
        .map(|u| 1 + u.staff.iter().map(|(_, n)| n).sum::<u32>())
        .sum()
}

pub const FIRST_NAMES: [&str; 40] = [
    "Anna", "Ben", "Clara", "David", "Elif", "Felix", "Greta", "Hannes", "Ida", "Jonas", "Katrin",
    "Lukas", "Mara", "Niklas", "Olga", "Paul", "Rosa", "Stefan", "Tanja", "Ugur", "Vera",
    "Wolfgang", "Yasmin", "Zeynep", "Emma", "Finn", "Hanna", "Jan", "Lea", "Malte", "Nele", "Ole",
    "Pia", "Sören", "Svenja", "Tim", "Ayşe", "Mehmet", "Natalia", "Piotr",
];

pub const LAST_NAMES: [&str; 32] = [
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Yilmaz",
    "Kowalski",
    "Petersen",
    "Jensen",
    "Hansen",
    "Lange",
    "Krüger",
    "Böhm",
    "Demir",
    "Nowak",
    "Lorenz",
    "Vogel",
    "Brandt",
    "Kaya",
];

/// Cities of northern Germany, for regions and sites of generated companies.
pub const CITIES: [&str; 20] = [
    "Hamburg",
    "Bremen",
    "Hannover",
    "Kiel",
    "Lübeck",
    "Rostock",
    "Schwerin",
    "Oldenburg",
    "Osnabrück",
    "Braunschweig",
    "Göttingen",
    "Flensburg",
    "Lüneburg",
    "Wolfsburg",
    "Celle",
    "Emden",
    "Wilhelmshaven",
    "Cuxhaven",
    "Stade",
    "Husum",
];

/// A name as an e-mail address's local part: lower case ASCII.
pub fn mail_name(text: &str) -> String {
    text.to_lowercase()
        .replace('ü', "ue")
        .replace('ö', "oe")
        .replace('ä', "ae")
        .replace('ß', "ss")
        .replace('ş', "s")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_six_hundred_people_in_three_companies() {
        let total: u32 = COMPANIES.iter().map(head_count).sum();
        assert!((550..=650).contains(&total), "{total} people");
    }

    #[test]
    fn every_unit_names_roles_of_its_company_and_an_earlier_parent() {
        for company in COMPANIES {
            let known = |key: &str| company.roles.iter().any(|r| r.key == key);
            for (i, unit) in company.units.iter().enumerate() {
                assert!(
                    known(unit.head_role),
                    "{}: {}",
                    company.slug,
                    unit.head_role
                );
                for (role, _) in unit.staff {
                    assert!(known(role), "{}: {role}", company.slug);
                }
                assert!(unit.parent.is_none_or(|p| p < i), "{}", unit.name);
            }
            assert!(company.units[0].parent.is_none());
        }
    }

    #[test]
    fn mail_names_are_ascii() {
        assert_eq!(mail_name("Sören Müller-Kaya"), "soerenmuellerkaya");
        assert_eq!(mail_name("Ayşe"), "ayse");
    }
}
