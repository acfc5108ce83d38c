//! The inputs named on the command line: files, directories (walked recursively in name
//! order), `-` for standard input, and gzip-compressed files, recognised by their magic bytes.
//!
//! A directory walk skips what is never a capture of its own: hidden entries, documentation
//! (`*.md`, e.g. a README beside the samples), and a `NAME.dat` beside a `NAME.json`, which is
//! the body of that message in rabtap's raw mode and is read with it. A file named on the
//! command line is always read, whatever kind of file it is: a FIFO (`check <(cmd)` names
//! `/dev/fd/63`) or a device too. A walk reads only regular files: a FIFO or a device it comes
//! across could block or never end, and is reported instead.

use std::collections::HashSet;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use flate2::read::MultiGzDecoder;

/// One input to read.
#[derive(Debug, Clone)]
pub struct Source {
    /// How reports name it: the path as given, or `<stdin>`.
    pub name: Arc<str>,
    pub kind: SourceKind,
}

#[derive(Debug, Clone)]
pub enum SourceKind {
    Stdin,
    File(PathBuf),
    /// Found (named, or listed in a directory) but not readable: reported, then skipped.
    Unreadable(String),
}

const STDIN_NAME: &str = "<stdin>";
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
const READ_BUFFER_BYTES: usize = 64 * 1024;

/// Every file the paths name, in order; directories are expanded in place.
pub fn expand(paths: &[PathBuf]) -> Vec<Source> {
    let mut sources = Vec::new();
    let mut visited_directories = HashSet::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source {
                name: STDIN_NAME.into(),
                kind: SourceKind::Stdin,
            });
        } else {
            add_path(
                path,
                Named::OnTheCommandLine,
                &mut sources,
                &mut visited_directories,
            );
        }
    }
    sources
}

/// How a path came to be read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Named {
    OnTheCommandLine,
    InADirectory,
}

fn add_path(path: &Path, named: Named, sources: &mut Vec<Source>, visited: &mut HashSet<PathBuf>) {
    let name: Arc<str> = path.display().to_string().into();
    let unreadable = |why: String| Source {
        name: Arc::clone(&name),
        kind: SourceKind::Unreadable(why),
    };
    // `metadata` follows symbolic links, so a dangling one is reported here.
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) => return sources.push(unreadable(format!("cannot open: {e}"))),
    };
    if metadata.is_file() || (named == Named::OnTheCommandLine && !metadata.is_dir()) {
        return sources.push(Source {
            name,
            kind: SourceKind::File(path.to_path_buf()),
        });
    }
    if !metadata.is_dir() {
        return sources.push(unreadable(
            "not a regular file or a directory: a directory walk does not open it (name it on \
             the command line to read it)"
                .into(),
        ));
    }
    // A symbolic link back up the tree would otherwise be walked forever.
    if let Ok(canonical) = fs::canonicalize(path) {
        if !visited.insert(canonical) {
            return;
        }
    }
    let entries = match fs::read_dir(path) {
        Ok(entries) => entries,
        Err(e) => return sources.push(unreadable(format!("cannot list the directory: {e}"))),
    };
    // What the walk finds below here, unreadable entries included.
    let before = sources.len();
    let mut children = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => children.push(entry.path()),
            Err(e) => sources.push(unreadable(format!("cannot list the directory: {e}"))),
        }
    }
    children.sort();
    let listed: HashSet<PathBuf> = children.iter().cloned().collect();
    for child in children {
        if !skipped_in_a_walk(&child, &listed) {
            add_path(&child, Named::InADirectory, sources, visited);
        }
    }
    // A directory named to be checked that holds nothing to check is said, as an empty file
    // is: a run over it would otherwise pass having read nothing.
    if named == Named::OnTheCommandLine && sources.len() == before {
        sources.push(unreadable(
            "the directory holds no file to check (a walk skips hidden entries, *.md and \
             rabtap's .dat bodies)"
                .into(),
        ));
    }
}

/// Whether a directory walk passes over `path`; `listed` is everything in its directory.
fn skipped_in_a_walk(path: &Path, listed: &HashSet<PathBuf>) -> bool {
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    let extension = path.extension().and_then(|e| e.to_str());
    let documentation = extension == Some("md");
    let raw_body = extension == Some("dat") && listed.contains(&path.with_extension("json"));
    hidden || documentation || raw_body
}

/// Opens a source for reading, decompressing it when it is gzip data.
pub fn open(source: &Source) -> io::Result<Box<dyn BufRead>> {
    open_counting(source, &Arc::new(AtomicU64::new(0)))
}

/// Like [`open`], adding to `read` the bytes read from a file as they are read (before
/// decompression, so that they compare with the file's size): what a progress bar shows.
pub fn open_counting(source: &Source, read: &Arc<AtomicU64>) -> io::Result<Box<dyn BufRead>> {
    match &source.kind {
        SourceKind::Stdin => decompressed(Box::new(io::stdin().lock())),
        SourceKind::File(path) => decompressed(Box::new(BufReader::with_capacity(
            READ_BUFFER_BYTES,
            Counting {
                inner: File::open(path)?,
                read: Arc::clone(read),
            },
        ))),
        SourceKind::Unreadable(why) => Err(io::Error::other(why.clone())),
    }
}

/// The size of the files among `sources`, or `None` when one is standard input.
pub fn total_file_bytes(sources: &[Source]) -> Option<u64> {
    sources
        .iter()
        .map(|source| match &source.kind {
            SourceKind::Stdin => None,
            SourceKind::File(path) => Some(fs::metadata(path).map_or(0, |m| m.len())),
            SourceKind::Unreadable(_) => Some(0),
        })
        .sum()
}

struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn decompressed(mut reader: Box<dyn BufRead>) -> io::Result<Box<dyn BufRead>> {
    if reader.fill_buf()?.starts_with(&GZIP_MAGIC) {
        let gunzip = MultiGzDecoder::new(reader);
        return Ok(Box::new(BufReader::with_capacity(
            READ_BUFFER_BYTES,
            gunzip,
        )));
    }
    Ok(reader)
}
