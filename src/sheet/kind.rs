//! What a file is when it is not a text table (a PDF, an image, a workbook, JSON, a web page...), told by its
//! first bytes or characters before any parsing, so the operator is told the fix instead of a list of problems.

use serde::{Deserialize, Serialize};

/// An image format, named to the operator as is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ImageFormat {
    Png,
    Jpeg,
    Gif,
    WebP,
    Bmp,
}

impl ImageFormat {
    /// The format's usual name (the same in every language).
    pub fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "PNG",
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Gif => "GIF",
            ImageFormat::WebP => "WebP",
            ImageFormat::Bmp => "BMP",
        }
    }
}

/// A file that is not a text table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FileKind {
    Pdf,
    Image(ImageFormat),
    /// `.xlsx` (a zip with `xl/`): save it as CSV from Excel.
    ExcelWorkbook,
    /// `.xls` or another Office 97–2003 file (an OLE compound file).
    OldExcelWorkbook,
    /// `.ods`: save it as CSV from LibreOffice.
    OpenDocumentSheet,
    /// `.docx`, `.odt` or RTF: a text document, not a table.
    TextDocument,
    /// Any other zip, or gzip, 7z, rar.
    Archive,
    Json,
    Html,
    Xml,
    /// Not text: NUL bytes (and not UTF-16), or many control characters.
    Binary,
}

/// How far into a zip's start and end its entry names are looked for (the central directory is at the end).
const ZIP_LOOK: usize = 64 * 1024;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Which office file a zip is, by the entry names (or the ODF `mimetype` entry) near its start or end.
fn zip_kind(bytes: &[u8]) -> FileKind {
    let head = &bytes[..bytes.len().min(ZIP_LOOK)];
    let tail = &bytes[bytes.len().saturating_sub(ZIP_LOOK)..];
    let has = |needle: &[u8]| contains(head, needle) || contains(tail, needle);
    if has(b"xl/workbook") || has(b"xl/worksheets/") {
        FileKind::ExcelWorkbook
    } else if has(b"application/vnd.oasis.opendocument.spreadsheet") {
        FileKind::OpenDocumentSheet
    } else if has(b"word/document") || has(b"application/vnd.oasis.opendocument.text") {
        FileKind::TextDocument
    } else {
        FileKind::Archive
    }
}

/// A file told by its first bytes (magic numbers); `None`: maybe text.
pub fn sniff_bytes(bytes: &[u8]) -> Option<FileKind> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let kind = if contains(&bytes[..bytes.len().min(1024)], b"%PDF-") {
        FileKind::Pdf
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        FileKind::Image(ImageFormat::Png)
    } else if starts(&[0xFF, 0xD8, 0xFF]) {
        FileKind::Image(ImageFormat::Jpeg)
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        FileKind::Image(ImageFormat::Gif)
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        FileKind::Image(ImageFormat::WebP)
    } else if starts(b"BM") && bytes.get(6..10) == Some(&[0, 0, 0, 0]) {
        // The reserved bytes of a bitmap header are zero; a text "BM..." has no NUL bytes.
        FileKind::Image(ImageFormat::Bmp)
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") || starts(b"PK\x07\x08") {
        zip_kind(bytes)
    } else if starts(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        FileKind::OldExcelWorkbook
    } else if starts(&[0x1F, 0x8B]) || starts(b"7z\xBC\xAF\x27\x1C") || starts(b"Rar!\x1A\x07") {
        FileKind::Archive
    } else if starts(b"{\\rtf") {
        FileKind::TextDocument
    } else {
        return None;
    };
    Some(kind)
}

/// How many characters of the text are looked at.
const TEXT_LOOK: usize = 64 * 1024;

/// A decoded file told by its first characters: JSON, HTML, XML, or binary junk (control characters);
/// `None`: a text table, as far as the start tells.
pub fn sniff_text(text: &str) -> Option<FileKind> {
    let mut look = text.chars().take(TEXT_LOOK);
    let (mut chars, mut controls) = (0usize, 0usize);
    for c in look.by_ref() {
        chars += 1;
        if c == '\0' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) {
            controls += 1;
        }
    }
    // Text tables have next to none; binary bytes read as text have about one in ten.
    if controls * 50 > chars {
        return Some(FileKind::Binary);
    }
    let start = text.trim_start();
    let after = |prefix: usize| start[prefix..].trim_start().chars().next();
    if start.starts_with('{') {
        return matches!(after(1), Some('"' | '}')).then_some(FileKind::Json);
    }
    if start.starts_with('[') {
        return matches!(after(1), Some('{' | '[' | '"' | ']')).then_some(FileKind::Json);
    }
    if !start.starts_with('<') {
        return None;
    }
    let head: String = start.chars().take(1024).collect::<String>().to_lowercase();
    let html = [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<table",
        "<meta",
        "<!--",
    ]
    .iter()
    .any(|tag| head.starts_with(tag))
        || head.contains("<html");
    if html {
        Some(FileKind::Html)
    } else if head.starts_with("<?xml") || head[1..].starts_with(|c: char| c.is_ascii_alphabetic())
    {
        Some(FileKind::Xml)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zip_with(name: &str) -> Vec<u8> {
        let mut bytes = b"PK\x03\x04\x14\x00\x00\x00\x08\x00".to_vec();
        bytes.extend_from_slice(&[0u8; 16]);
        bytes.extend_from_slice(name.as_bytes());
        bytes.extend((0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
        bytes
    }

    #[test]
    fn binary_formats_by_their_first_bytes() {
        let cases: [(&[u8], FileKind); 11] = [
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", FileKind::Pdf),
            (
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
                FileKind::Image(ImageFormat::Png),
            ),
            (
                b"\xff\xd8\xff\xe0\0\x10JFIF",
                FileKind::Image(ImageFormat::Jpeg),
            ),
            (b"GIF89a\x01\0\x01\0", FileKind::Image(ImageFormat::Gif)),
            (
                b"RIFF\x24\0\0\0WEBPVP8 ",
                FileKind::Image(ImageFormat::WebP),
            ),
            (
                b"BM\x36\0\0\0\0\0\0\0\x36\0\0\0",
                FileKind::Image(ImageFormat::Bmp),
            ),
            (
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0",
                FileKind::OldExcelWorkbook,
            ),
            (b"\x1f\x8b\x08\0", FileKind::Archive),
            (b"7z\xbc\xaf\x27\x1c\0\x04", FileKind::Archive),
            (b"PK\x05\x06\0\0\0\0", FileKind::Archive),
            (b"{\\rtf1\\ansi", FileKind::TextDocument),
        ];
        for (bytes, kind) in cases {
            assert_eq!(sniff_bytes(bytes), Some(kind), "{bytes:?}");
        }
        for text in [&b"BMW;5\n"[..], b"id;main\n1;2\n", b"PK;qty\n", b"RIFF;1\n"] {
            assert_eq!(sniff_bytes(text), None, "{text:?}");
        }
    }

    #[test]
    fn office_files_inside_a_zip() {
        assert_eq!(
            sniff_bytes(&zip_with("xl/workbook.xml")),
            Some(FileKind::ExcelWorkbook)
        );
        assert_eq!(
            sniff_bytes(&zip_with("word/document.xml")),
            Some(FileKind::TextDocument)
        );
        assert_eq!(
            sniff_bytes(&zip_with(
                "mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
            )),
            Some(FileKind::OpenDocumentSheet)
        );
        assert_eq!(sniff_bytes(&zip_with("stock.csv")), Some(FileKind::Archive));
        // The central directory at the end names the workbook too.
        let mut late = zip_with("[Content_Types].xml");
        late.extend_from_slice(b"PK\x01\x02....xl/worksheets/sheet1.xml");
        assert_eq!(sniff_bytes(&late), Some(FileKind::ExcelWorkbook));
    }

    #[test]
    fn text_formats_by_their_first_characters() {
        let cases = [
            ("{\"offers\": []}", Some(FileKind::Json)),
            ("  \n[{\"id\":1}]", Some(FileKind::Json)),
            ("[]", Some(FileKind::Json)),
            ("<!DOCTYPE html><html><body><table>", Some(FileKind::Html)),
            ("<table><tr><td>1</td></tr></table>", Some(FileKind::Html)),
            (
                "<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?><Workbook>",
                Some(FileKind::Xml),
            ),
            ("<offers><offer/></offers>", Some(FileKind::Xml)),
            ("id;main\n1;5\n", None),
            ("[id];[main]\n1;5\n", None),
            ("{id};main\n", None),
            ("<5;main\n", None),
            ("a\u{1}b\u{2}c\u{3}d\u{4}", Some(FileKind::Binary)),
        ];
        for (text, kind) in cases {
            assert_eq!(sniff_text(text), kind, "{text}");
        }
        // One stray control character in a table is not binary.
        let mut table = "id;main\n".repeat(20);
        table.push('\u{1a}');
        assert_eq!(sniff_text(&table), None);
    }
}
