/**
 * Share links: plain links to each network's own share address (no
 * third-party script, no tracking pixel), an email link, and two buttons the
 * page's script shows when it can: "Copy link" (the clipboard) and "Share…"
 * (the device's own share sheet, navigator.share). The same for every reader.
 */

/** Where each network takes a link to share; `url` and `title` are encoded here. */
export function shareTargets(url: string, title: string): Array<{ network: string; label: string; href: string }> {
  const u = encodeURIComponent(url);
  const t = encodeURIComponent(title);
  const both = encodeURIComponent(`${title} ${url}`);
  return [
    { network: 'x', label: 'X', href: `https://twitter.com/intent/tweet?url=${u}&text=${t}` },
    { network: 'facebook', label: 'Facebook', href: `https://www.facebook.com/sharer/sharer.php?u=${u}` },
    { network: 'linkedin', label: 'LinkedIn', href: `https://www.linkedin.com/sharing/share-offsite/?url=${u}` },
    { network: 'whatsapp', label: 'WhatsApp', href: `https://wa.me/?text=${both}` },
    { network: 'telegram', label: 'Telegram', href: `https://t.me/share/url?url=${u}&text=${t}` },
    { network: 'email', label: 'Email', href: `mailto:?subject=${t}&body=${u}` },
  ];
}

export function ShareLinks({ url, title }: { url: string; title: string }) {
  return (
    <section class="share" aria-labelledby="share-heading" data-share="" data-share-url={url} data-share-title={title}>
      <h2 id="share-heading" class="share__heading">
        Share this story
      </h2>
      <ul class="share__list" role="list">
        <li data-share-native-item="" hidden>
          <button type="button" class="share__link share__button" data-share-native="">
            Share…
          </button>
        </li>
        <li data-share-copy-item="" hidden>
          <button type="button" class="share__link share__button" data-share-copy="">
            Copy link
          </button>
        </li>
        {shareTargets(url, title).map((s) => (
          <li>
            <a
              class={`share__link share__link--${s.network}`}
              href={s.href}
              data-share-network={s.network}
              {...(s.network === 'email' ? {} : { target: '_blank', rel: 'noopener noreferrer' })}
            >
              {s.label}
              {s.network === 'email' ? null : <span class="visually-hidden"> (opens a new window)</span>}
            </a>
          </li>
        ))}
      </ul>
      <p class="share__status" role="status" aria-live="polite" data-share-status=""></p>
    </section>
  );
}
