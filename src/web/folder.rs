//! Folders given to the page, dropped (walked with `webkitGetAsEntry`) or picked with the
//! "Choose folder" input (`webkitdirectory`): every file in them and their sub-folders becomes
//! one data set. Clutter (hidden files, `.DS_Store`, `Thumbs.db`) is skipped and listed; the
//! files are read in path order (see [`crate::inputs::folder`]) and each is named by its path
//! relative to the dropped folder, so the per-file table tells `day01/h00.csv` from
//! `day02/h00.csv`.

use crate::inputs::folder;
use crate::web::app::{show_error, with_app};
use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DataTransfer, File, FileSystemDirectoryEntry, FileSystemDirectoryReader, FileSystemEntry,
    FileSystemFileEntry,
};

/// Something dropped: a file as it is, or a folder still to walk.
enum Dropped {
    File(File),
    Folder(FileSystemDirectoryEntry),
}

/// Loads what a drop carries: plain files as they are; when a folder is among them, every
/// file under it too. Entries must be taken while the drop event runs (the data transfer is
/// emptied after it), so the walk itself runs afterwards.
pub fn load_drop(dt: &DataTransfer, target: Target) {
    let items = dt.items();
    let mut dropped = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        let entry = item.webkit_get_as_entry().ok().flatten();
        match entry {
            Some(e) if e.is_directory() => dropped.push(Dropped::Folder(e.unchecked_into())),
            _ => {
                if let Ok(Some(f)) = item.get_as_file() {
                    dropped.push(Dropped::File(f));
                }
            }
        }
    }
    if dropped.is_empty() {
        // A data transfer without items (some synthetic drops) still lists its files.
        if let Some(list) = dt.files() {
            dropped.extend((0..list.length()).filter_map(|i| list.item(i).map(Dropped::File)));
        }
    }
    if !dropped.iter().any(|d| matches!(d, Dropped::Folder(_))) {
        let files: Vec<File> = dropped
            .into_iter()
            .filter_map(|d| match d {
                Dropped::File(f) => Some(f),
                Dropped::Folder(_) => None,
            })
            .collect();
        if !files.is_empty() {
            target.take(files, Vec::new());
        }
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match walk(dropped).await {
            Ok((found, hidden)) => load_found(found, hidden, target),
            Err(e) => show_error(&format!("{e:?}")),
        }
    });
}

/// Loads the files of the "Choose folder" input (each knows its `webkitRelativePath`).
pub fn load_picked(files: Vec<File>, target: Target) {
    let found = files
        .into_iter()
        .map(|f| {
            let rel = Reflect::get(&f, &"webkitRelativePath".into())
                .ok()
                .and_then(|v| v.as_string())
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| f.name());
            (rel, f)
        })
        .collect();
    load_found(found, Vec::new(), target);
}

/// Where dropped or picked files go.
#[derive(Clone, Copy)]
pub enum Target {
    /// A new load (the page's analysis).
    Load,
    /// The after side of a comparison with the loaded files (compare mode).
    After,
}

impl Target {
    /// Hands the files (and the paths left unread) to the load or the comparison.
    fn take(self, files: Vec<File>, skipped: Vec<String>) {
        with_app(|a| match self {
            Target::Load => {
                a.load(files);
                a.skipped = skipped;
            }
            Target::After => crate::web::ui::compare::request_sets(a, Some(files)),
        });
    }
}

/// Every file under the dropped folders, with its path (`folder/sub/file.csv`), and the hidden
/// folders left unwalked (`folder/.git/`).
async fn walk(dropped: Vec<Dropped>) -> Result<(Vec<(String, File)>, Vec<String>), JsValue> {
    let mut found = Vec::new();
    let mut hidden = Vec::new();
    let mut folders = Vec::new();
    for d in dropped {
        match d {
            Dropped::File(f) => found.push((f.name(), f)),
            Dropped::Folder(e) => folders.push(e),
        }
    }
    while let Some(dir) = folders.pop() {
        let reader = dir.create_reader();
        // readEntries gives at most 100 entries a call: call it until a batch comes back empty.
        loop {
            let batch = Array::from(&JsFuture::from(read_entries(&reader)).await?);
            if batch.length() == 0 {
                break;
            }
            for entry in batch.iter() {
                let entry: FileSystemEntry = entry.unchecked_into();
                let path = entry.full_path().trim_start_matches('/').to_string();
                if entry.is_directory() {
                    if folder::is_clutter(&path) {
                        hidden.push(format!("{path}/"));
                    } else {
                        folders.push(entry.unchecked_into());
                    }
                } else if entry.is_file() {
                    let fe: FileSystemFileEntry = entry.unchecked_into();
                    let file: File = JsFuture::from(file_of(&fe)).await?.dyn_into()?;
                    found.push((path, file));
                }
            }
        }
    }
    Ok((found, hidden))
}

fn read_entries(reader: &FileSystemDirectoryReader) -> Promise {
    Promise::new(&mut |resolve, reject| {
        if let Err(e) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
            let _ = reject.call1(&JsValue::NULL, &e);
        }
    })
}

fn file_of(entry: &FileSystemFileEntry) -> Promise {
    Promise::new(&mut |resolve, reject| entry.file_with_callback_and_callback(&resolve, &reject))
}

/// Keeps the files worth reading, in path order, each named by its path, and loads them; the
/// skipped ones (and the hidden folders not walked) are listed under the per-file table.
fn load_found(found: Vec<(String, File)>, hidden: Vec<String>, target: Target) {
    let (read, skipped) = folder::select(found, |(p, _)| p.clone());
    let mut skipped: Vec<String> = skipped.into_iter().map(|(p, _)| p).collect();
    skipped.extend(hidden);
    skipped.sort_by(|a, b| folder::compare_paths(a, b));
    let files: Vec<File> = read
        .into_iter()
        .map(|(path, f)| renamed(f, &path))
        .collect();
    if files.is_empty() {
        show_error(&format!(
            "{} {}",
            crate::web::i18n::t("folder_empty"),
            skipped.join(", ")
        ));
        return;
    }
    target.take(files, skipped);
}

/// The same file under another name (no copy: the new File refers to the old one's bytes).
fn renamed(f: File, path: &str) -> File {
    if f.name() == path {
        return f;
    }
    File::new_with_blob_sequence(&Array::of1(&f), path).unwrap_or(f)
}
