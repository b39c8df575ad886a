/**
 * Share, better with JavaScript: the device's own share sheet
 * (navigator.share) where the browser has one, and "Copy link" with the
 * clipboard, each confirmed in words on the page. Without this script the
 * plain share links still work.
 */
for (const box of document.querySelectorAll<HTMLElement>('[data-share]')) {
  const url = box.dataset.shareUrl ?? location.href;
  const title = box.dataset.shareTitle ?? document.title;
  const status = box.querySelector<HTMLElement>('[data-share-status]');
  const say = (text: string) => {
    if (!status) return;
    status.textContent = '';
    setTimeout(() => {
      status.textContent = text;
    }, 50);
  };

  const nativeItem = box.querySelector<HTMLElement>('[data-share-native-item]');
  const nativeButton = box.querySelector<HTMLButtonElement>('[data-share-native]');
  if (nativeItem && nativeButton && typeof navigator.share === 'function' && (!navigator.canShare || navigator.canShare({ url, title }))) {
    nativeItem.hidden = false;
    nativeButton.addEventListener('click', () => {
      navigator.share({ url, title }).catch(() => {
        // Closed by the reader, or refused: nothing to say.
      });
    });
  }

  const copyItem = box.querySelector<HTMLElement>('[data-share-copy-item]');
  const copyButton = box.querySelector<HTMLButtonElement>('[data-share-copy]');
  if (copyItem && copyButton && navigator.clipboard && window.isSecureContext) {
    copyItem.hidden = false;
    copyButton.addEventListener('click', () => {
      navigator.clipboard.writeText(url).then(
        () => say('Link copied.'),
        () => say(`Could not copy. The link is ${url}`),
      );
    });
  }
}
