//! Tweets in Spanish, Portuguese or English, as the course's Twitter pipeline collects them.

use super::generator::{Draws, Generated, Moment};
use rand::Rng;
use std::fmt::Write;

pub const USERS: u64 = 20_000;

struct Language {
    code: &'static str,
    openings: &'static [&'static str],
    subjects: &'static [&'static str],
    endings: &'static [&'static str],
}

const LANGUAGES: [Language; 3] = [
    Language {
        code: "es",
        openings: &["Hoy aprendí que", "No puedo creer que", "Alguien sabe si", "Me encanta que", "Increíble:"],
        subjects: &["el partido de anoche", "la nueva serie", "el precio del café", "mi clase de AWS", "el concierto", "el metro de Madrid"],
        endings: &["está genial", "no tiene sentido", "fue épico", "me tiene loco", "vale la pena", "llegó tarde otra vez"],
    },
    Language {
        code: "pt",
        openings: &["Hoje descobri que", "Não acredito que", "Alguém sabe se", "Adoro quando", "Sério:"],
        subjects: &["o jogo de ontem", "a nova série", "o preço do café", "meu curso de AWS", "o show", "o trânsito de São Paulo"],
        endings: &["está demais", "não faz sentido", "foi épico", "me deixa maluco", "vale a pena", "atrasou de novo"],
    },
    Language {
        code: "en",
        openings: &["Today I learned that", "Can't believe", "Does anyone know if", "Love it when", "Wow:"],
        subjects: &["last night's game", "the new series", "the price of coffee", "my AWS course", "the concert", "the subway"],
        endings: &["is great", "makes no sense", "was epic", "drives me crazy", "is worth it", "is late again"],
    },
];

const HASHTAGS: [&str; 12] =
    ["#AWS", "#Kinesis", "#BigData", "#futbol", "#futebol", "#tech", "#musica", "#series", "#cafe", "#DataEngineering", "#Madrid", "#SaoPaulo"];

fn pick<'a>(rng: &mut Draws, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len() as u32) as usize]
}

/// Writes a tweet into `json`. Key: the user id; alternate key: the first hashtag. `user` is
/// the ranked user when a key strategy chose one.
pub fn generate<W: Write>(rng: &mut Draws, index: u64, at: &Moment, user: Option<u64>, json: &mut W) -> Generated {
    let lang = &LANGUAGES[rng.random_range(0..3u32) as usize];
    let user = user.map_or_else(|| rng.random_range(0..USERS), |u| u % USERS);
    let mut tags = [""; 3];
    let count = rng.random_range(1..=3u32) as usize;
    for tag in &mut tags[..count] {
        *tag = pick(rng, &HASHTAGS);
    }
    let tags = &tags[..count];
    let (opening, subject, ending) = (pick(rng, lang.openings), pick(rng, lang.subjects), pick(rng, lang.endings));
    let user_id = format!("u{user:05}");
    // Written piece by piece (no serde_json::Value, no intermediate strings): this runs for
    // every record. The phrases and hashtags hold nothing JSON escapes, so they go in as is.
    let _ = write!(json, r#"{{"id":{index},"user":{{"id":"{user_id}","screen_name":"user_{user}"}},"lang":"{}","text":"{opening} {subject} {ending}"#, lang.code);
    for tag in tags {
        let _ = write!(json, " {tag}");
    }
    let _ = json.write_str(r#"","hashtags":["#);
    for (i, tag) in tags.iter().enumerate() {
        let _ = write!(json, "{}\"{tag}\"", if i > 0 { "," } else { "" });
    }
    let _ = write!(json, r#"],"created_at":"{}"}}"#, at.iso);
    Generated { natural_key: user_id, alternate_key: tags[0].to_string() }
}
