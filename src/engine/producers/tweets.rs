//! Tweets in Spanish, Portuguese or English, as the course's Twitter pipeline collects them.

use super::generator::{Draws, Generated, Json};
use super::keys::PartitionKey;
use rand::Rng;

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

pub const HASHTAGS: [&str; 12] =
    ["#AWS", "#Kinesis", "#BigData", "#futbol", "#futebol", "#tech", "#musica", "#series", "#cafe", "#DataEngineering", "#Madrid", "#SaoPaulo"];

/// One of `count` choices.
fn pick(rng: &mut Draws, count: usize) -> usize {
    rng.random_range(0..count as u32) as usize
}

/// Writes a tweet into `json`. Key: the user id; alternate key: the first hashtag. `user` is
/// the ranked user when a key strategy chose one.
pub fn generate<J: Json>(rng: &mut Draws, index: u64, user: Option<u64>, json: &mut J) -> Generated {
    let lang = &LANGUAGES[rng.random_range(0..3u32) as usize];
    let user = user.map_or_else(|| rng.random_range(0..USERS), |u| u % USERS);
    let mut tags = [0; 3];
    let count = rng.random_range(1..=3u32) as usize;
    for tag in &mut tags[..count] {
        *tag = pick(rng, HASHTAGS.len());
    }
    let tags = &tags[..count];
    let opening = lang.openings[pick(rng, lang.openings.len())];
    let subject = lang.subjects[pick(rng, lang.subjects.len())];
    let ending = lang.endings[pick(rng, lang.endings.len())];
    let user_id = PartitionKey::User(user);
    // The phrases and hashtags hold nothing JSON escapes, so they go in as is.
    json.text(r#"{"id":"#).number(index, 0).text(r#","user":{"id":""#).key(&user_id);
    json.text(r#"","screen_name":"user_"#).number(user, 0).text(r#""},"lang":""#).text(lang.code);
    json.text(r#"","text":""#).text(opening).text(" ").text(subject).text(" ").text(ending);
    for &tag in tags {
        json.text(" ").text(HASHTAGS[tag]);
    }
    json.text(r#"","hashtags":["#);
    for (i, &tag) in tags.iter().enumerate() {
        json.text(if i > 0 { r#",""# } else { r#"""# }).text(HASHTAGS[tag]).text(r#"""#);
    }
    json.text(r#"],"created_at":""#).timestamp().text(r#""}"#);
    Generated { natural_key: user_id, alternate_key: PartitionKey::Hashtag(tags[0]) }
}
