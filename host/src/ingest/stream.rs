//! Uploads read piece by piece, for background imports: memory holds one
//! chunk of rows at a time, whatever the size of the file. A CSV file is
//! read twice — once to settle its encoding and count its rows
//! ([`scan`]), once to read its rows ([`read_chunks`]) — with the same
//! rules as [`super::parse_upload`]. An XLSX workbook is a ZIP archive
//! and is read whole.

use super::csv_rows::{TableBuilder, invalid_encoding, malformed_line, written_header};
use super::{Row, RowError};
use crate::domain::columns::Columns;
use encoding_rs::{DecoderResult, Encoding};
use std::io::{BufRead, BufReader, Read};

/// An upload's format, from its content type or its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An XLSX workbook.
    Xlsx,
    /// JSON Lines.
    JsonLines,
    /// CSV, with the charset the content type declares, if any.
    Csv(Option<&'static Encoding>),
}

impl Format {
    /// The format of an upload whose content type is `content_type` and
    /// whose first bytes are `head`, as [`super::parse_upload`] decides.
    pub fn of(content_type: Option<&str>, head: &[u8]) -> Self {
        let mime = content_type.map(|c| c.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
        let mime = mime.as_deref().unwrap_or_default();
        if super::is_xlsx(head) || mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
            return Self::Xlsx;
        }
        if matches!(mime, "application/x-ndjson" | "application/jsonl" | "application/json-lines") {
            return Self::JsonLines;
        }
        let charset = content_type.and_then(|c| {
            c.split(';').skip(1).find_map(|p| {
                let (k, v) = p.split_once('=')?;
                (k.trim().eq_ignore_ascii_case("charset"))
                    .then(|| Encoding::for_label(v.trim().trim_matches('"').as_bytes()))
                    .flatten()
            })
        });
        Self::Csv(charset)
    }
}

/// Validity of a byte stream in one encoding, fed piece by piece.
struct Decoding {
    decoder: encoding_rs::Decoder,
    scratch: String,
    /// Bytes fed so far.
    offset: usize,
    /// Offset of the first invalid byte.
    bad: Option<usize>,
}

impl Decoding {
    fn new(encoding: &'static Encoding) -> Self {
        Self { decoder: encoding.new_decoder_without_bom_handling(), scratch: String::new(), offset: 0, bad: None }
    }

    fn feed(&mut self, mut bytes: &[u8], last: bool) {
        while self.bad.is_none() {
            self.scratch.clear();
            self.scratch.reserve(bytes.len().max(64) * 3);
            let (result, read) = self.decoder.decode_to_string_without_replacement(bytes, &mut self.scratch, last);
            match result {
                DecoderResult::InputEmpty => {
                    self.offset += read;
                    return;
                }
                DecoderResult::OutputFull => {
                    self.offset += read;
                    bytes = &bytes[read..];
                }
                DecoderResult::Malformed(bad, extra) => {
                    self.bad = Some((self.offset + read).saturating_sub(usize::from(bad) + usize::from(extra)));
                }
            }
        }
    }
}

/// Settles a CSV upload's encoding while its bytes pass through.
struct Sniff<R> {
    inner: R,
    /// The first three bytes, to see a UTF-8 BOM.
    head: Vec<u8>,
    utf8: Decoding,
    gb18030: Option<Decoding>,
    declared: Option<(&'static Encoding, Decoding)>,
    /// The end has been seen (the decoders are finished).
    ended: bool,
}

impl<R: Read> Read for Sniff<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut bytes = &buf[..n];
        while self.head.len() < 3 && !bytes.is_empty() {
            self.head.push(bytes[0]);
            bytes = &bytes[1..];
            if self.head.len() == 3 && (self.head != b"\xEF\xBB\xBF" || !self.skips_bom()) {
                // Not a BOM (or one a declared charset reads as text): content.
                let head = std::mem::take(&mut self.head);
                self.feed(&head, false);
                self.head = head;
            }
        }
        if n == 0 && !self.ended {
            self.ended = true;
            if self.head.len() < 3 {
                let head = self.head.clone();
                self.feed(&head, false);
            }
            self.feed(&[], true);
        } else if n > 0 {
            self.feed(bytes, false);
        }
        Ok(n)
    }
}

impl<R> Sniff<R> {
    /// A UTF-8 BOM is dropped unless a charset other than UTF-8 is
    /// declared (which then reads its bytes as text), as `decode` does.
    fn skips_bom(&self) -> bool {
        self.declared.as_ref().is_none_or(|(e, _)| *e == encoding_rs::UTF_8)
    }

    fn bom(&self) -> usize {
        if self.head == b"\xEF\xBB\xBF" && self.skips_bom() { 3 } else { 0 }
    }

    fn feed(&mut self, bytes: &[u8], last: bool) {
        match &mut self.declared {
            Some((_, d)) => d.feed(bytes, last),
            None => {
                self.utf8.feed(bytes, last);
                if let Some(gb) = &mut self.gb18030 {
                    gb.feed(bytes, last);
                    if gb.bad.is_some() {
                        self.gb18030 = None;
                    }
                }
            }
        }
    }

    /// The encoding, as [`super::csv_rows`]'s `decode` settles it.
    fn settle(self) -> Result<&'static Encoding, Vec<RowError>> {
        let bom = self.bom();
        if let Some((encoding, d)) = self.declared {
            return match d.bad {
                // A declared UTF-8 skips its BOM.
                Some(at) if encoding == encoding_rs::UTF_8 => Err(invalid_encoding(at + bom, "UTF-8")),
                Some(at) => Err(invalid_encoding(at, encoding.name())),
                None => Ok(encoding),
            };
        }
        match (self.utf8.bad, self.gb18030) {
            (None, _) => Ok(encoding_rs::UTF_8),
            (Some(_), Some(_)) => Ok(encoding_rs::GB18030),
            (Some(at), None) => Err(invalid_encoding(at + bom, "UTF-8 或 GBK/GB18030")),
        }
    }
}

/// Notes where line ends (CR, LF) pass by, for [`LineAt`].
struct LineEnds<R> {
    inner: R,
    /// Bytes passed so far.
    at: u64,
    /// Offsets of the CR and LF bytes not yet counted, and whether each is
    /// an LF.
    ends: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<(u64, bool)>>>,
}

impl<R: Read> Read for LineEnds<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut ends = self.ends.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            if matches!(b, b'\r' | b'\n') {
                ends.push_back((self.at + i as u64, *b == b'\n'));
            }
        }
        self.at += n as u64;
        Ok(n)
    }
}

/// The 1-based line of a record from its byte offset, as
/// [`super::parse_csv`] counts it: with CRLF the CSV reader ends a record
/// at CR, so the next one "starts" at the LF before its first cell; line
/// ends at the offset belong before the record.
struct LineAt {
    ends: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<(u64, bool)>>>,
    line: usize,
}

impl LineAt {
    fn at(&mut self, offset: u64) -> usize {
        let mut ends = self.ends.borrow_mut();
        let mut end = offset;
        while let Some(&(at, lf)) = ends.front() {
            if at <= end {
                end += u64::from(at == end);
                self.line += usize::from(lf);
                ends.pop_front();
            } else {
                break;
            }
        }
        self.line
    }
}

/// The offset of the first byte of `bytes` that is not valid `encoding`.
pub(super) fn first_invalid(encoding: &'static Encoding, bytes: &[u8]) -> Option<usize> {
    let mut d = Decoding::new(encoding);
    d.feed(bytes, true);
    d.bad
}

/// What [`scan`] found.
#[derive(Debug, Clone, Copy)]
pub struct Scan {
    /// The encoding of a CSV upload (UTF-8 for other formats).
    pub encoding: &'static Encoding,
    /// Data rows (blank ones not counted).
    pub rows: usize,
    /// Whether a UTF-8 byte order mark opens the file (skipped).
    pub bom: bool,
    /// The upload's format.
    pub format: Format,
}

/// Settle a CSV or JSON Lines upload's encoding and count its data rows,
/// reading it once.
///
/// # Errors
/// `invalid-encoding` with the offset of the first invalid byte.
pub fn scan(reader: impl Read, format: Format) -> Result<Scan, Vec<RowError>> {
    match format {
        Format::Csv(declared) => {
            let mut sniff = Sniff {
                inner: reader,
                head: Vec::new(),
                utf8: Decoding::new(encoding_rs::UTF_8),
                gb18030: Some(Decoding::new(encoding_rs::GB18030)),
                declared: declared.map(|e| (e, Decoding::new(e))),
                ended: false,
            };
            let mut rows = 0;
            {
                // ASCII commas, quotes and line ends never occur inside a
                // GBK or GB18030 character, so the bytes split as the text.
                let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(&mut sniff);
                let mut record = csv::ByteRecord::new();
                loop {
                    match csv.read_byte_record(&mut record) {
                        Ok(false) => break,
                        Ok(true) => rows += usize::from(!record.iter().all(|c| c.trim_ascii().is_empty())),
                        Err(e) if e.is_io_error() => return Err(invalid_encoding(0, "CSV")),
                        Err(_) => rows += 1,
                    }
                }
            }
            // The CSV reader stops at the end; let the check see it too.
            let mut rest = Vec::new();
            let _ = sniff.read_to_end(&mut rest);
            let bom = sniff.bom() == 3;
            Ok(Scan { encoding: sniff.settle()?, rows, bom, format })
        }
        Format::JsonLines => {
            let mut reader = BufReader::new(reader);
            let (mut rows, mut offset, mut line) = (0, 0, Vec::new());
            loop {
                line.clear();
                let n = reader.read_until(b'\n', &mut line).map_err(|_| invalid_encoding(offset, "JSON Lines"))?;
                if n == 0 {
                    break;
                }
                let text = std::str::from_utf8(&line).map_err(|e| json_lines_encoding(offset + e.valid_up_to()))?;
                rows += usize::from(!text.trim().is_empty());
                offset += n;
            }
            Ok(Scan { encoding: encoding_rs::UTF_8, rows, bom: false, format })
        }
        Format::Xlsx => Ok(Scan { encoding: encoding_rs::UTF_8, rows: 0, bom: false, format }),
    }
}

/// `invalid-encoding` of a JSON Lines upload, at byte `at`.
pub(super) fn json_lines_encoding(at: usize) -> Vec<RowError> {
    vec![RowError {
        line: None,
        column: None,
        pointer: None,
        value: None,
        code: "invalid-encoding".into(),
        message: format!("JSON Lines须为UTF-8编码：第{at}字节处无效"),
        message_en: format!("JSON Lines must be UTF-8: invalid byte at offset {at}"),
    }]
}

/// Why [`read_chunks`] stopped early.
#[derive(Debug)]
pub struct Stopped;

/// Read the rows of an upload of record `kind` (as [`scan`] found it) and
/// hand them to `sink` in chunks of `chunk_rows`. Returns the header as
/// written.
///
/// # Errors
/// `Ok(Err(errors))` for the file's own errors (unknown or repeated
/// columns, malformed lines, an unreadable workbook), found by the end;
/// `Err(Stopped)` when `sink` asked to stop.
pub fn read_chunks(
    mut reader: impl Read,
    kind: &str,
    columns: &Columns,
    scan: Scan,
    chunk_rows: usize,
    mut sink: impl FnMut(Vec<Row>) -> Result<(), Stopped>,
) -> Result<Result<Vec<String>, Vec<RowError>>, Stopped> {
    match scan.format {
        Format::Xlsx => {
            let mut bytes = Vec::new();
            if let Err(e) = reader.read_to_end(&mut bytes) {
                return Ok(Err(invalid_encoding(bytes.len(), &format!("XLSX ({e})"))));
            }
            let table = match super::parse_xlsx(kind, columns, &bytes) {
                Ok(t) => t,
                Err(errors) => return Ok(Err(errors)),
            };
            drop(bytes);
            let mut rows = table.rows.into_iter().peekable();
            while rows.peek().is_some() {
                sink(rows.by_ref().take(chunk_rows).collect())?;
            }
            Ok(Ok(table.headers))
        }
        Format::JsonLines => {
            let mut reader = BufReader::new(reader);
            let (mut errors, mut chunk, mut line, mut at) = (Vec::new(), Vec::new(), Vec::new(), 0);
            loop {
                line.clear();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) => break,
                    Ok(_) => at += 1,
                    Err(_) => return Ok(Err(json_lines_encoding(0))),
                }
                let Ok(text) = std::str::from_utf8(&line) else { return Ok(Err(json_lines_encoding(0))) };
                // As `str::lines` gives it: without its line end.
                let text = text.strip_suffix('\n').map_or(text, |t| t.strip_suffix('\r').unwrap_or(t));
                match super::json_line(at, text) {
                    Some(Ok(row)) => chunk.push(row),
                    Some(Err(e)) => errors.push(e),
                    None => {}
                }
                if chunk.len() == chunk_rows {
                    sink(std::mem::take(&mut chunk))?;
                }
            }
            if !chunk.is_empty() {
                sink(chunk)?;
            }
            Ok(if errors.is_empty() { Ok(Vec::new()) } else { Err(errors) })
        }
        Format::Csv(_) => {
            if scan.bom {
                let mut bom = [0; 3];
                if reader.read_exact(&mut bom).is_err() {
                    return Ok(Err(invalid_encoding(0, "CSV")));
                }
            }
            // An explicit encoding: no BOM sniffing, the scan settled it.
            let decoded = encoding_rs_io::DecodeReaderBytesBuilder::new().encoding(Some(scan.encoding)).build(reader);
            let ends = std::rc::Rc::new(std::cell::RefCell::new(std::collections::VecDeque::new()));
            let mut lines = LineAt { ends: ends.clone(), line: 1 };
            let counted = LineEnds { inner: decoded, at: 0, ends };
            let mut csv = csv::ReaderBuilder::new().flexible(false).from_reader(counted);
            let headers: Vec<String> = match csv.headers() {
                Ok(h) => h.iter().map(str::to_owned).collect(),
                Err(e) => return Ok(Err(vec![written_header(&e)])),
            };
            let mut builder = match TableBuilder::new(kind, columns, headers.clone()) {
                Ok(b) => b,
                Err(errors) => return Ok(Err(errors)),
            };
            let mut record = csv::StringRecord::new();
            loop {
                match csv.read_record(&mut record) {
                    Ok(false) => break,
                    Ok(true) => {
                        let line = record.position().map(|p| lines.at(p.byte()));
                        builder.push(line, record.iter().map(str::to_owned).collect(), Vec::new());
                    }
                    Err(e) => {
                        let line = e.position().map(|p| lines.at(p.byte()));
                        builder.errors.push(malformed_line(line, &e));
                    }
                }
                if builder.pending() == chunk_rows {
                    sink(builder.take_rows())?;
                }
            }
            let rest = builder.take_rows();
            if !rest.is_empty() {
                sink(rest)?;
            }
            Ok(builder.finish().map(|_| headers))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, splitting characters.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn streamed(bytes: &[u8], content_type: &str, step: usize) -> Result<Vec<Row>, Vec<RowError>> {
        let columns = Columns::new("penalty", None);
        let format = Format::of(Some(content_type), bytes);
        let scan = scan(Trickle(bytes, step), format)?;
        let mut rows = Vec::new();
        let read = read_chunks(Trickle(bytes, step), "penalty", &columns, scan, 2, |chunk| {
            rows.extend(chunk);
            Ok(())
        })
        .unwrap();
        read.map(|_| rows)
    }

    fn whole(bytes: &[u8], content_type: &str) -> Result<Vec<Row>, Vec<RowError>> {
        super::super::parse_upload("penalty", &Columns::new("penalty", None), Some(content_type), bytes).map(|t| t.rows)
    }

    fn same(a: &Result<Vec<Row>, Vec<RowError>>, b: &Result<Vec<Row>, Vec<RowError>>) {
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.len(), b.len());
                for (x, y) in a.iter().zip(b) {
                    assert_eq!((x.line, &x.body, &x.raw), (y.line, &y.body, &y.raw));
                }
            }
            (Err(a), Err(b)) => assert_eq!(a, b),
            _ => panic!("one refused, the other not: {:?} / {:?}", a.as_ref().err(), b.as_ref().err()),
        }
    }

    #[test]
    fn streamed_a_few_bytes_at_a_time_reads_what_the_whole_file_reads() {
        let utf8 = "行政相对人名称,统一社会信用代码\r\n\"某某\r\n网吧\",91410104MA329GYC1F\r\n,\r\n乙店,91410104MA329GYC1F\r\n";
        let gbk = encoding_rs::GBK.encode(utf8).0.into_owned();
        let bom = [b"\xEF\xBB\xBF".as_slice(), utf8.as_bytes()].concat();
        let cases: [(&[u8], &str); 4] =
            [(utf8.as_bytes(), "text/csv"), (&gbk, "text/csv"), (&bom, "text/csv"), (&gbk, "text/csv; charset=gbk")];
        for (bytes, content_type) in cases {
            let expected = whole(bytes, content_type);
            assert_eq!(expected.as_ref().map(Vec::len).ok(), Some(2), "{content_type}");
            assert_eq!(expected.as_ref().unwrap()[1].line, Some(5), "a quoted line break and a blank row counted");
            for step in [1, 2, 3, 5, 4096] {
                same(&streamed(bytes, content_type, step), &expected);
            }
        }
    }

    #[test]
    fn invalid_bytes_are_refused_at_the_same_offset_however_they_arrive() {
        let mut bytes = "行政相对人名称,统一社会信用代码\n甲,91410104MA329GYC1F\n".as_bytes().to_vec();
        bytes.splice(30..30, [0xFF, 0xFF, 0xFF]);
        for content_type in ["text/csv", "text/csv; charset=utf-8", "text/csv; charset=gbk"] {
            let expected = whole(&bytes, content_type);
            assert_eq!(expected.as_ref().err().map(|e| e[0].code.as_str()), Some("invalid-encoding"));
            for step in [1, 3, 4096] {
                same(&streamed(&bytes, content_type, step), &expected);
            }
        }
    }
}
