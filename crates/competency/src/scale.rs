//! Proficiency scales ("Kompetenzstufen") and the one scale Mycel reasons on.

use mycel_organisation::ProficiencyScaleId;
use serde::{Deserialize, Serialize};

/// A level on the default 0–4 scale (0 none … 4 expert), fractional where it is an estimate or
/// mapped from another scale. Always finite and within 0..=4.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(try_from = "f64", into = "f64")]
pub struct Level(f64);

impl Level {
    pub const MIN: f64 = 0.0;
    pub const MAX: f64 = 4.0;
    pub const ZERO: Level = Level(0.0);

    /// The level, if `value` is a number within 0..=4.
    pub fn new(value: f64) -> Option<Self> {
        (value.is_finite() && (Self::MIN..=Self::MAX).contains(&value)).then_some(Self(value))
    }

    /// The level nearest to `value` (NaN becomes 0).
    pub fn clamped(value: f64) -> Self {
        if value.is_nan() {
            Self::ZERO
        } else {
            Self(value.clamp(Self::MIN, Self::MAX))
        }
    }

    pub fn value(self) -> f64 {
        self.0
    }
}

impl TryFrom<f64> for Level {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value).ok_or_else(|| format!("a level must be a number from 0 to 4, not {value}"))
    }
}

impl From<Level> for f64 {
    fn from(level: Level) -> f64 {
        level.0
    }
}

/// A text in the two languages Mycel speaks. A tenant that works in one language may leave the
/// other empty: [`LocalizedText::get`] then falls back to the one that is there.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    pub de: String,
    pub en: String,
}

impl LocalizedText {
    pub fn new(de: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            de: de.into(),
            en: en.into(),
        }
    }

    /// The German text for `de` and German regional tags (`de-AT`, `de_CH`), the English text for
    /// anything else; the other language if the chosen one is empty.
    pub fn get(&self, lang: &str) -> &str {
        let german = lang
            .get(..2)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("de"))
            && matches!(lang.as_bytes().get(2), None | Some(b'-' | b'_'));
        let (chosen, other) = if german {
            (&self.de, &self.en)
        } else {
            (&self.en, &self.de)
        };
        if chosen.trim().is_empty() {
            other
        } else {
            chosen
        }
    }

    /// Neither language has any text.
    pub fn is_blank(&self) -> bool {
        self.de.trim().is_empty() && self.en.trim().is_empty()
    }
}

/// One level ("Stufe") of a proficiency scale.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProficiencyLevel {
    /// The number people see on this scale (0–4 on the default scale, 1–8 on DQR/EQF).
    pub value: u8,
    pub label: LocalizedText,
    /// What a person at this level can do, in one sentence; shown next to the label when people
    /// rate themselves or others, so that a "3" means the same to everyone.
    pub descriptor: LocalizedText,
    /// Where this level sits on the default 0–4 scale. Mycel reasons only on the default scale, so
    /// this mapping is what lets a target set on one scale be compared with evidence on another.
    pub on_default_scale: Level,
}

/// Why a tenant's proficiency scale was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ScaleError {
    #[error("a proficiency scale needs a name")]
    MissingName,
    #[error("a proficiency scale needs {min} to {max} levels, not {count}", min = ProficiencyScale::MIN_LEVELS, max = ProficiencyScale::MAX_LEVELS)]
    LevelCount { count: usize },
    #[error("level values must increase strictly: {value} follows {previous}")]
    ValuesNotIncreasing { previous: u8, value: u8 },
    #[error("level {value} needs a label")]
    MissingLabel { value: u8 },
    #[error("levels must not map lower on the default scale than the level before: level {value}")]
    MappingDecreasing { value: u8 },
    #[error("the lowest level must map to 0 and the highest to 4 on the default scale")]
    MappingEnds,
    #[error("level values would exceed 255")]
    ValueOverflow,
}

/// A proficiency scale ("Kompetenzstufen"): the built-in default 0–4 scale, or a tenant's own.
///
/// Only a valid scale can exist: [`ProficiencyScale::new`] checks it, and so does deserialising.
/// A valid scale has 2 to 10 levels with strictly increasing values and a label each, and its
/// levels map onto the default scale without going down, from exactly 0 (its lowest level) to
/// exactly 4 (its highest). Pinning both ends keeps "none" and "expert" meaning the same on every
/// scale; in between a tenant places its levels where its descriptors say they belong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "UncheckedScale")]
pub struct ProficiencyScale {
    id: Option<ProficiencyScaleId>,
    name: LocalizedText,
    levels: Vec<ProficiencyLevel>,
}

/// The serialised form, checked by [`ProficiencyScale::new`] on the way in.
#[derive(Deserialize)]
struct UncheckedScale {
    id: Option<ProficiencyScaleId>,
    name: LocalizedText,
    levels: Vec<ProficiencyLevel>,
}

impl TryFrom<UncheckedScale> for ProficiencyScale {
    type Error = ScaleError;
    fn try_from(raw: UncheckedScale) -> Result<Self, Self::Error> {
        Self::new(raw.id, raw.name, raw.levels)
    }
}

/// Two distances on the default scale closer than this are a tie; mapped levels are computed
/// (e.g. 3 × 4/7), so exact equality would make the tie rule depend on rounding.
const TIE_TOLERANCE: f64 = 1e-9;

impl ProficiencyScale {
    pub const MIN_LEVELS: usize = 2;
    pub const MAX_LEVELS: usize = 10;

    /// A tenant's scale, if it is valid (see the type's documentation for the rules).
    pub fn new(
        id: Option<ProficiencyScaleId>,
        name: LocalizedText,
        levels: Vec<ProficiencyLevel>,
    ) -> Result<Self, ScaleError> {
        if name.is_blank() {
            return Err(ScaleError::MissingName);
        }
        if !(Self::MIN_LEVELS..=Self::MAX_LEVELS).contains(&levels.len()) {
            return Err(ScaleError::LevelCount {
                count: levels.len(),
            });
        }
        for level in &levels {
            if level.label.is_blank() {
                return Err(ScaleError::MissingLabel { value: level.value });
            }
        }
        for pair in levels.windows(2) {
            let (previous, next) = (&pair[0], &pair[1]);
            if next.value <= previous.value {
                return Err(ScaleError::ValuesNotIncreasing {
                    previous: previous.value,
                    value: next.value,
                });
            }
            if next.on_default_scale.value() < previous.on_default_scale.value() {
                return Err(ScaleError::MappingDecreasing { value: next.value });
            }
        }
        let first = levels.first().map(|l| l.on_default_scale.value());
        let last = levels.last().map(|l| l.on_default_scale.value());
        if first != Some(Level::MIN) || last != Some(Level::MAX) {
            return Err(ScaleError::MappingEnds);
        }
        Ok(Self { id, name, levels })
    }

    /// A scale whose levels are evenly spread over the default scale: values `first_value`,
    /// `first_value + 1`, …, the k-th of n levels (counting from 0) mapping to 4·k/(n−1). Each item
    /// of `levels` is a (label, descriptor) pair.
    pub fn linear(
        id: Option<ProficiencyScaleId>,
        name: LocalizedText,
        first_value: u8,
        levels: impl IntoIterator<Item = (LocalizedText, LocalizedText)>,
    ) -> Result<Self, ScaleError> {
        let texts: Vec<(LocalizedText, LocalizedText)> = levels.into_iter().collect();
        let count = texts.len();
        if !(Self::MIN_LEVELS..=Self::MAX_LEVELS).contains(&count) {
            return Err(ScaleError::LevelCount { count });
        }
        let steps = (count - 1) as f64;
        let mut built = Vec::with_capacity(count);
        for (k, (label, descriptor)) in texts.into_iter().enumerate() {
            let value = u8::try_from(k)
                .ok()
                .and_then(|k| first_value.checked_add(k))
                .ok_or(ScaleError::ValueOverflow)?;
            built.push(ProficiencyLevel {
                value,
                label,
                descriptor,
                on_default_scale: Level::clamped(Level::MAX * k as f64 / steps),
            });
        }
        Self::new(id, name, built)
    }

    /// The built-in default scale, 0 (none) to 4 (expert), on which every estimate, target and gap
    /// is computed.
    pub fn default_scale() -> Self {
        let level = |value: u8, label: (&str, &str), descriptor: (&str, &str)| ProficiencyLevel {
            value,
            label: LocalizedText::new(label.0, label.1),
            descriptor: LocalizedText::new(descriptor.0, descriptor.1),
            on_default_scale: Level::clamped(f64::from(value)),
        };
        Self {
            id: None,
            name: LocalizedText::new("Standard-Kompetenzstufen (0–4)", "Default proficiency scale (0–4)"),
            levels: vec![
                level(
                    0,
                    ("Keine Kenntnisse", "None"),
                    (
                        "Kennt das Thema nicht oder nur dem Namen nach und kann darin noch keine Aufgaben übernehmen.",
                        "Does not know the subject, or only by name, and cannot yet take on tasks in it.",
                    ),
                ),
                level(
                    1,
                    ("Grundkenntnisse", "Basic"),
                    (
                        "Kennt Begriffe und Grundlagen und erledigt einfache Aufgaben mit Anleitung oder Unterstützung.",
                        "Knows the terms and basics and does simple tasks with instructions or support.",
                    ),
                ),
                level(
                    2,
                    ("Fortgeschritten (selbstständig)", "Intermediate (independent)"),
                    (
                        "Erledigt die üblichen Aufgaben selbstständig und zuverlässig und holt sich nur bei ungewöhnlichen Fällen Rat.",
                        "Handles the usual tasks independently and reliably, and asks for advice only in unusual cases.",
                    ),
                ),
                level(
                    3,
                    ("Erfahren", "Advanced"),
                    (
                        "Löst auch komplexe und neue Aufgaben sicher, passt das Vorgehen der Lage an und berät Kolleginnen und Kollegen.",
                        "Solves complex and unfamiliar tasks with confidence, adapts the approach to the situation and advises colleagues.",
                    ),
                ),
                level(
                    4,
                    ("Experte/Expertin (kann andere anleiten)", "Expert (can guide others)"),
                    (
                        "Ist Ansprechperson für andere, leitet sie an und bildet sie aus und entwickelt Methoden und Standards des Fachs weiter.",
                        "Is the person others turn to, guides and teaches them, and develops the field's methods and standards further.",
                    ),
                ),
            ],
        }
    }

    /// A template for a tenant scale (without an id until a tenant adopts it, see
    /// [`with_id`](Self::with_id)): the eight levels of the German and European qualifications
    /// frameworks (DQR/EQF), mapped linearly (1 → 0, 8 → 4). The linear mapping is a starting
    /// point, not an official equivalence: DQR levels describe whole qualifications, so a tenant
    /// using this scale for single competencies may well move the middle levels.
    pub fn dqr() -> Self {
        const DESCRIPTORS: [(&str, &str); 8] = [
            (
                "Erfüllt einfache Anforderungen in einem überschaubar und stabil strukturierten Bereich, unter Anleitung.",
                "Meets simple requirements in a clearly laid out, stably structured field, under guidance.",
            ),
            (
                "Erfüllt grundlegende Anforderungen in einem überschaubar und stabil strukturierten Bereich, weitgehend unter Anleitung.",
                "Meets basic requirements in a clearly laid out, stably structured field, largely under guidance.",
            ),
            (
                "Erfüllt fachliche Anforderungen in einem noch überschaubaren, zum Teil offen strukturierten Bereich selbstständig.",
                "Meets technical requirements independently in a still manageable, partly open field.",
            ),
            (
                "Plant und bearbeitet fachliche Aufgaben in einem umfassenden, sich verändernden Bereich selbstständig.",
                "Plans and carries out technical tasks independently in a broad, changing field.",
            ),
            (
                "Plant und bearbeitet umfassende fachliche Aufgaben in einem komplexen, spezialisierten, sich verändernden Bereich selbstständig.",
                "Plans and carries out broad technical tasks independently in a complex, specialised, changing field.",
            ),
            (
                "Plant, bearbeitet und bewertet umfassende fachliche Aufgaben und Probleme und steuert Prozesse eigenverantwortlich.",
                "Plans, carries out and evaluates broad technical tasks and problems and steers processes on own responsibility.",
            ),
            (
                "Bearbeitet neue komplexe Aufgaben und Probleme und steuert Prozesse in einem strategieorientierten Bereich mit häufigen, unvorhersehbaren Veränderungen.",
                "Handles new complex tasks and problems and steers processes in a strategy-oriented field with frequent, unpredictable change.",
            ),
            (
                "Gewinnt neue Erkenntnisse oder entwickelt innovative Lösungen und Verfahren für neuartige und unklare Problemlagen.",
                "Gains new insights or develops innovative solutions and methods for novel and unclear problems.",
            ),
        ];
        let levels = DESCRIPTORS.iter().enumerate().map(|(k, (de, en))| {
            (
                LocalizedText::new(format!("Niveau {}", k + 1), format!("Level {}", k + 1)),
                LocalizedText::new(*de, *en),
            )
        });
        let name = LocalizedText::new(
            "Deutscher/Europäischer Qualifikationsrahmen (DQR/EQR)",
            "German/European Qualifications Framework (DQR/EQF)",
        );
        // Eight levels from 1 to 8 always make a valid linear scale; the fallback only keeps this
        // function free of a panic path.
        Self::linear(None, name, 1, levels).unwrap_or_else(|_| Self::default_scale())
    }

    /// The scale's id; `None` for the built-in default scale, and for a template such as
    /// [`dqr`](Self::dqr) that no tenant has stored yet.
    pub fn id(&self) -> Option<ProficiencyScaleId> {
        self.id
    }

    /// The same scale under a tenant's id, e.g. a template once the tenant adopts it.
    pub fn with_id(self, id: ProficiencyScaleId) -> Self {
        Self {
            id: Some(id),
            ..self
        }
    }

    pub fn name(&self) -> &LocalizedText {
        &self.name
    }

    /// The levels, lowest first.
    pub fn levels(&self) -> &[ProficiencyLevel] {
        &self.levels
    }

    /// The level with this value, if the scale has it.
    pub fn level(&self, value: u8) -> Option<&ProficiencyLevel> {
        self.levels.iter().find(|level| level.value == value)
    }

    /// Where level `value` of this scale sits on the default scale; `None` if the scale has no
    /// such level.
    pub fn to_default(&self, value: u8) -> Option<Level> {
        self.level(value).map(|level| level.on_default_scale)
    }

    /// The level of this scale nearest to `level` on the default scale. On a tie the lower level
    /// wins: a level is only claimed once it is reached (an estimate of 2.0 on DQR, exactly
    /// between Niveau 4 at 1.71 and Niveau 5 at 2.29, shows as Niveau 4).
    pub fn from_default(&self, level: Level) -> u8 {
        let target = level.value();
        let mut best: Option<(u8, f64)> = None;
        for candidate in &self.levels {
            let distance = (candidate.on_default_scale.value() - target).abs();
            // Levels are sorted by value, so keeping the first of equally near ones keeps the lower.
            if best.is_none_or(|(_, best_distance)| distance < best_distance - TIE_TOLERANCE) {
                best = Some((candidate.value, distance));
            }
        }
        best.map_or(0, |(value, _)| value)
    }

    /// Level `value` of this scale expressed on `other`, via the default scale; `None` if this
    /// scale has no such level.
    pub fn convert(&self, value: u8, other: &ProficiencyScale) -> Option<u8> {
        self.to_default(value)
            .map(|level| other.from_default(level))
    }
}

impl Default for ProficiencyScale {
    fn default() -> Self {
        Self::default_scale()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lvl(value: f64) -> Level {
        Level::new(value).unwrap()
    }

    fn text(s: &str) -> LocalizedText {
        LocalizedText::new(s, s)
    }

    fn level(value: u8, on_default_scale: f64) -> ProficiencyLevel {
        ProficiencyLevel {
            value,
            label: text(&format!("Stufe {value}")),
            descriptor: LocalizedText::default(),
            on_default_scale: lvl(on_default_scale),
        }
    }

    #[test]
    fn localized_text_picks_german_for_german_tags_and_english_otherwise() {
        let t = LocalizedText::new("Erfahren", "Advanced");
        assert_eq!(t.get("de"), "Erfahren");
        assert_eq!(t.get("de-AT"), "Erfahren");
        assert_eq!(t.get("DE_ch"), "Erfahren");
        assert_eq!(t.get("en"), "Advanced");
        assert_eq!(t.get("fr"), "Advanced");
        assert_eq!(t.get("dex"), "Advanced");
        assert_eq!(t.get(""), "Advanced");
        // A tenant working in one language only.
        assert_eq!(LocalizedText::new("Erfahren", "").get("en"), "Erfahren");
        assert_eq!(LocalizedText::new(" ", "Advanced").get("de"), "Advanced");
    }

    #[test]
    fn default_scale_is_the_identity_on_0_to_4() {
        let scale = ProficiencyScale::default_scale();
        assert_eq!(scale.id(), None);
        assert_eq!(scale.levels().len(), 5);
        for value in 0..=4u8 {
            assert_eq!(scale.to_default(value), Some(lvl(f64::from(value))));
            assert_eq!(scale.from_default(lvl(f64::from(value))), value);
            let level = scale.level(value).unwrap();
            assert!(!level.label.de.is_empty() && !level.label.en.is_empty());
            assert!(level.descriptor.de.ends_with('.') && level.descriptor.en.ends_with('.'));
        }
        assert_eq!(scale.to_default(5), None);
        assert_eq!(
            scale.level(2).unwrap().label.get("de"),
            "Fortgeschritten (selbstständig)"
        );
        assert_eq!(scale.level(0).unwrap().label.get("en"), "None");
        // The default scale passes its own validation.
        let checked = ProficiencyScale::new(None, scale.name().clone(), scale.levels().to_vec());
        assert_eq!(checked, Ok(scale));
    }

    #[test]
    fn from_default_rounds_to_the_nearest_level_and_ties_go_down() {
        let scale = ProficiencyScale::default_scale();
        assert_eq!(scale.from_default(lvl(2.49)), 2);
        assert_eq!(scale.from_default(lvl(2.5)), 2);
        assert_eq!(scale.from_default(lvl(2.51)), 3);
        assert_eq!(scale.from_default(lvl(0.0)), 0);
        assert_eq!(scale.from_default(lvl(4.0)), 4);
    }

    #[test]
    fn dqr_maps_1_to_8_evenly_onto_0_to_4() {
        let dqr = ProficiencyScale::dqr();
        assert_eq!(dqr.id(), None);
        assert_eq!(dqr.levels().len(), 8);
        assert_eq!(dqr.to_default(1), Some(Level::ZERO));
        assert_eq!(dqr.to_default(8), Some(lvl(4.0)));
        // Niveau 4 is the fourth of eight levels: 4 · 3/7.
        assert!((dqr.to_default(4).unwrap().value() - 12.0 / 7.0).abs() < 1e-12);
        assert_eq!(dqr.to_default(0), None);
        assert_eq!(dqr.to_default(9), None);
        assert_eq!(dqr.level(3).unwrap().label.get("de"), "Niveau 3");
        assert_eq!(dqr.level(3).unwrap().label.get("en"), "Level 3");
        for value in 1..=8 {
            assert_eq!(dqr.from_default(dqr.to_default(value).unwrap()), value);
        }
        // 2.0 lies exactly between Niveau 4 (1.714) and 5 (2.286): the lower wins.
        assert_eq!(dqr.from_default(lvl(2.0)), 4);
        assert_eq!(dqr.from_default(lvl(2.01)), 5);
    }

    #[test]
    fn levels_of_different_scales_compare_via_the_default_scale() {
        let default = ProficiencyScale::default_scale();
        let dqr = ProficiencyScale::dqr();
        assert_eq!(default.convert(2, &dqr), Some(4));
        assert_eq!(default.convert(3, &dqr), Some(6));
        assert_eq!(dqr.convert(8, &default), Some(4));
        assert_eq!(dqr.convert(5, &default), Some(2));
        assert_eq!(dqr.convert(0, &default), None);
    }

    #[test]
    fn a_tenant_scale_may_place_its_levels_unevenly() {
        let id: ProficiencyScaleId = "0190f3a0-0000-7000-8000-000000000001".parse().unwrap();
        let scale = ProficiencyScale::new(
            None,
            text("Ampel"),
            vec![level(1, 0.0), level(2, 2.0), level(3, 2.0), level(4, 4.0)],
        )
        .unwrap()
        .with_id(id);
        assert_eq!(scale.id(), Some(id));
        assert_eq!(scale.to_default(2), Some(lvl(2.0)));
        // Levels 2 and 3 sit at the same place; the lower is shown.
        assert_eq!(scale.from_default(lvl(2.2)), 2);
        assert_eq!(scale.from_default(lvl(3.1)), 4);
    }

    #[test]
    fn invalid_scales_are_refused() {
        let new = |levels| ProficiencyScale::new(None, text("Skala"), levels);
        assert_eq!(
            new(vec![level(0, 0.0)]),
            Err(ScaleError::LevelCount { count: 1 })
        );
        assert_eq!(
            new((0..11).map(|v| level(v, 0.4 * f64::from(v))).collect()),
            Err(ScaleError::LevelCount { count: 11 })
        );
        assert_eq!(
            new(vec![level(0, 0.0), level(2, 2.0), level(2, 4.0)]),
            Err(ScaleError::ValuesNotIncreasing {
                previous: 2,
                value: 2
            })
        );
        assert_eq!(
            new(vec![
                level(0, 0.0),
                level(2, 3.0),
                level(3, 2.0),
                level(4, 4.0)
            ]),
            Err(ScaleError::MappingDecreasing { value: 3 })
        );
        assert_eq!(
            new(vec![level(0, 0.5), level(1, 4.0)]),
            Err(ScaleError::MappingEnds)
        );
        assert_eq!(
            new(vec![level(0, 0.0), level(1, 3.5)]),
            Err(ScaleError::MappingEnds)
        );
        let mut unlabelled = vec![level(0, 0.0), level(1, 4.0)];
        unlabelled[1].label = LocalizedText::new("", "  ");
        assert_eq!(new(unlabelled), Err(ScaleError::MissingLabel { value: 1 }));
        assert_eq!(
            ProficiencyScale::new(
                None,
                LocalizedText::default(),
                vec![level(0, 0.0), level(1, 4.0)]
            ),
            Err(ScaleError::MissingName)
        );
        let labels = (0..8).map(|n| (text(&format!("L{n}")), LocalizedText::default()));
        assert_eq!(
            ProficiencyScale::linear(None, text("Skala"), 250, labels),
            Err(ScaleError::ValueOverflow)
        );
        assert_eq!(
            ProficiencyScale::linear(None, text("Skala"), 1, Vec::new()),
            Err(ScaleError::LevelCount { count: 0 })
        );
    }

    #[test]
    fn a_linear_scale_of_two_levels_is_none_and_expert() {
        let scale = ProficiencyScale::linear(
            None,
            text("Ja/Nein"),
            0,
            [
                (LocalizedText::new("Nein", "No"), LocalizedText::default()),
                (LocalizedText::new("Ja", "Yes"), LocalizedText::default()),
            ],
        )
        .unwrap();
        assert_eq!(scale.to_default(0), Some(Level::ZERO));
        assert_eq!(scale.to_default(1), Some(lvl(4.0)));
        assert_eq!(scale.from_default(lvl(2.0)), 0);
        assert_eq!(scale.from_default(lvl(2.1)), 1);
    }

    #[test]
    fn deserialising_checks_the_scale() {
        let dqr = ProficiencyScale::dqr();
        let raw = |levels: Vec<ProficiencyLevel>| UncheckedScale {
            id: None,
            name: dqr.name().clone(),
            levels,
        };
        assert_eq!(
            ProficiencyScale::try_from(raw(dqr.levels().to_vec())),
            Ok(dqr.clone())
        );
        let mut reversed = dqr.levels().to_vec();
        reversed.reverse();
        assert!(ProficiencyScale::try_from(raw(reversed)).is_err());
    }
}
