/**
 * The rich-text body of the newsroom's editors (stories and the site's
 * pages): the label, the toolbar and the editing area that
 * src/client/newsroom/body-editor.ts mounts TipTap on, showing the body as
 * readers see it until then (and without JavaScript); and the link and
 * media-library dialogs its toolbar opens. Both editors store and render the
 * same body document (content/body.ts).
 */

export interface BodyFieldProps {
  /** The editing area's id; its label is `${id}-label`. */
  id: string;
  /** The body as the site renders it. */
  bodyHtml: string;
  /** What saves without JavaScript, for the note shown then. */
  withoutScript?: string;
}

export function BodyField({ id, bodyHtml, withoutScript = 'Without it the other fields still save, and the body is kept as it is.' }: BodyFieldProps) {
  return (
    <>
      <span class="editor__label" id={`${id}-label`}>
        Body
      </span>
      <div class="editor__toolbar" role="toolbar" aria-label="Body formatting" aria-controls={id} data-editor-toolbar="" hidden></div>
      <div id={id} class="editor__body article-body" data-editor-body="" aria-labelledby={`${id}-label`}>
        <div class="editor__static" dangerouslySetInnerHTML={{ __html: bodyHtml || '<p class="editor__hint">No body yet.</p>' }} />
      </div>
      <noscript>
        <p class="editor__hint">Editing the body needs JavaScript. {withoutScript}</p>
      </noscript>
    </>
  );
}

/** The dialogs the body's toolbar opens (once per page). */
export function BodyDialogs() {
  return (
    <>
      <MediaDialog />
      <UrlDialog />
    </>
  );
}

function MediaDialog() {
  return (
    <dialog id="media-dialog" class="editor-dialog editor-dialog--wide" aria-labelledby="media-dialog-title">
      <form method="dialog" id="media-dialog-form">
        <h2 id="media-dialog-title">Choose an image</h2>
        <div data-media-step="pick">
          <div class="nr-field">
            <label for="media-search">Search the media library</label>
            <input type="search" id="media-search" placeholder="Alt text or caption" autocomplete="off" />
          </div>
          <ul id="media-results" class="media-grid" aria-label="Images in the library"></ul>
          <p>
            <button type="button" class="button button--small" id="media-more" hidden>
              More images
            </button>
          </p>
          <div class="nr-field">
            <label for="media-upload">Or upload a new image (JPEG, PNG, WebP or AVIF)</label>
            <input type="file" id="media-upload" accept="image/jpeg,image/png,image/webp,image/avif" />
          </div>
        </div>
        <div data-media-step="details" hidden>
          <img id="media-preview" class="editor-dialog__preview" alt="" />
          <div class="nr-field">
            <label for="media-alt">Alt text: what the image shows (required before publishing)</label>
            <textarea id="media-alt" rows={2} maxLength={500}></textarea>
          </div>
          <div class="nr-field">
            <label for="media-caption">Caption</label>
            <input type="text" id="media-caption" maxLength={1000} />
          </div>
          <div class="nr-field">
            <label for="media-credit">Credit</label>
            <input type="text" id="media-credit" maxLength={200} placeholder="e.g. Reuters/Jane Doe" />
          </div>
        </div>
        <p id="media-message" class="editor-dialog__message" role="status" aria-live="polite"></p>
        <div class="editor-dialog__buttons">
          <button type="button" class="button" id="media-back" hidden>
            Back to the library
          </button>
          <button type="button" class="button button--primary" id="media-confirm" hidden>
            Insert image
          </button>
          <button type="button" class="button" id="media-cancel">
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

function UrlDialog() {
  return (
    <dialog id="url-dialog" class="editor-dialog" aria-labelledby="url-dialog-title">
      <form method="dialog" id="url-dialog-form">
        <h2 id="url-dialog-title">Link</h2>
        <div class="nr-field">
          <label for="url-dialog-input">Address (URL)</label>
          <input type="text" id="url-dialog-input" inputMode="url" autocomplete="off" placeholder="https://" aria-describedby="url-dialog-error" />
        </div>
        <p id="url-dialog-error" class="editor-dialog__message editor-dialog__message--error" role="alert"></p>
        <div class="editor-dialog__buttons">
          <button type="submit" class="button button--primary" id="url-dialog-ok">
            Apply
          </button>
          <button type="button" class="button" id="url-dialog-remove" hidden>
            Remove link
          </button>
          <button type="button" class="button" id="url-dialog-cancel">
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
