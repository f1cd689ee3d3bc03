/** Saves text as a file through the browser: a Blob behind a temporary link, revoked afterwards. */
export function downloadText(fileName: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The click starts the download; the URL only has to outlive it.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
