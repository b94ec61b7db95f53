use dom_smoothie::{Config, Readability, TextMode};

use crate::IngestError;

pub struct Article {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub text: String,
}

/// The page's main article, found by readability (boilerplate, navigation and ads dropped).
pub fn extract_article(html: &str, url: Option<&str>) -> Result<Article, IngestError> {
    let config = Config { text_mode: TextMode::Formatted, ..Config::default() };
    let mut readability =
        Readability::new(html, url, Some(config)).map_err(|error| IngestError::Html(error.to_string()))?;
    let article = readability.parse().map_err(|error| IngestError::Html(error.to_string()))?;
    let non_empty = |value: String| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    Ok(Article {
        title: non_empty(article.title),
        byline: article.byline.and_then(non_empty),
        text: article.text_content.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use crate::{SourceFormat, ingest, ingest_html};

    const PAGE: &str = r#"<!doctype html><html><head><title>Rye and Crumb moves to a four-day week | Gazette</title></head><body>
<nav><a href="/">Home</a> <a href="/subscribe">Subscribe to our newsletter</a></nav>
<div class="cookie-banner">We use cookies. Accept all cookies?</div>
<article><h1>Rye and Crumb moves to a four-day week</h1><p class="byline">By Jonas Weber</p>
<p>Rye and Crumb, a neighbourhood bakery with eleven staff, switched to a four-day working week in March this year.</p>
<p>Owner Marta Lind said the change started with a staffing problem after two bakers left in the winter.</p>
<p>Under the new schedule every employee works four ten-hour days and keeps the same weekly pay as before.</p>
<p>Sales in the first three months were four percent higher than in the same period last year, she said.</p>
<p>Waste fell by a fifth because the bakery now plans production around fewer, busier days of the week.</p>
<p>Lind says the bakery will review the schedule again in September, and nobody has asked to go back.</p>
</article><aside><h3>Trending</h3><a href="/x">Ten gadgets you must buy</a></aside>
<footer>Copyright Gazette. All rights reserved.</footer></body></html>"#;

    #[test]
    fn the_article_is_extracted_without_boilerplate() {
        let ingested = ingest_html(PAGE, Some("https://gazette.example/bakery")).unwrap();
        assert_eq!(ingested.format, SourceFormat::Html);
        assert!(ingested.title.as_deref().unwrap().contains("four-day week"));
        assert!(ingested.text.contains("Waste fell by a fifth"));
        assert!(ingested.text.contains("\n\n"), "paragraphs are kept apart");
        for boilerplate in ["cookies", "Subscribe", "Trending", "gadgets", "All rights reserved"] {
            assert!(!ingested.text.contains(boilerplate), "{boilerplate} kept in {}", ingested.text);
        }
        assert_eq!(ingested.language.as_deref(), Some("eng"));
    }

    #[test]
    fn html_bytes_go_through_the_same_extraction() {
        let ingested = ingest(PAGE.as_bytes(), SourceFormat::Html).unwrap();
        assert!(!ingested.text.contains('<'));
    }
}
