vcl 4.1;

# Varnish (7.x, with vmod_xkey from varnish-modules) in front of several
# Dispatch processes. Dispatch marks what may be shared: `Cache-Control:
# public, s-maxage=…, stale-while-revalidate=…` and the surrogate keys in
# `xkey`. Anything else (a user's own page, an error, anything with
# Set-Cookie) is never stored. Content changes purge by key: Dispatch sends
# `PURGE /` with `xkey-purge: article:42 home …` (PURGE_VARNISH_URLS).
#
# Run: varnishd -a :6081 -f /etc/varnish/dispatch.vcl -s malloc,1g
#
# The backends below are examples (two processes on 127.0.0.1:3001 and :3002);
# `npm run stack:test` rewrites them to the ports it starts. Run the
# processes with TRUST_PROXY set to Varnish's address so X-Forwarded-For
# (appended by Varnish) names the reader.

import std;
import directors;
import xkey;

probe dispatch_ready {
  # /readyz answers 503 while a process drains (SIGTERM) or its database is away.
  .request = "GET /readyz HTTP/1.1" "Host: localhost" "Connection: close";
  .interval = 1s;
  .timeout = 1s;
  .window = 3;
  .threshold = 2;
  .initial = 2;
}

backend dispatch1 {
  .host = "127.0.0.1";
  .port = "3001";
  .probe = dispatch_ready;
  .connect_timeout = 1s;
  .first_byte_timeout = 30s;
}

backend dispatch2 {
  .host = "127.0.0.1";
  .port = "3002";
  .probe = dispatch_ready;
  .connect_timeout = 1s;
  .first_byte_timeout = 30s;
}

# Who may purge: the Dispatch processes (add their addresses when they run elsewhere).
# If a TLS terminator or load balancer on this host forwards readers to
# Varnish, every reader would come from 127.0.0.1: have it speak the PROXY
# protocol (`-a 127.0.0.1:6086,PROXY`) so client.ip is the reader's address.
acl purgers {
  "127.0.0.1";
  "::1";
}

sub vcl_init {
  new dispatch = directors.round_robin();
  dispatch.add_backend(dispatch1);
  dispatch.add_backend(dispatch2);
}

sub vcl_recv {
  set req.backend_hint = dispatch.backend();

  if (req.method == "PURGE") {
    if (client.ip !~ purgers) {
      return (synth(403, "Forbidden"));
    }
    if (req.http.xkey-purge) {
      # Soft: the objects go stale at once, the next reader gets the stale copy while it is refetched.
      set req.http.n-gone = xkey.softpurge(req.http.xkey-purge);
    } else if (req.http.xkey-purge-hard) {
      set req.http.n-gone = xkey.purge(req.http.xkey-purge-hard);
    } else {
      return (synth(400, "Name the keys in xkey-purge or xkey-purge-hard"));
    }
    return (synth(200, "Purged " + req.http.n-gone + " objects"));
  }

  if (req.method != "GET" && req.method != "HEAD") {
    # Comments, sign-in, the newsroom's saves: always the app, never a stored copy.
    return (pass);
  }

  # Sign-in with a token or a password is a user's own, whatever the path.
  if (req.http.Authorization) {
    return (pass);
  }

  # A user's own pages: the account, the newsroom, the admin and wire APIs, sign-in and invitations.
  if (req.url ~ "^/api/v1/(me|auth)([/?]|$)"
      || req.url ~ "^/(account|newsroom|signin|signup|invite|reset|favorites)([/?]|$)"
      || req.url ~ "^/api/(admin|wires)([/?]|$)") {
    return (pass);
  }

  # Tracking parameters make no page different: one stored copy for all of them.
  if (req.url ~ "[?&](utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga)=") {
    set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z]+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga)=[^&]*&?", "");
    set req.url = regsub(req.url, "[?&]+$", "");
    set req.url = regsub(req.url, "\?&+", "?");
  }

  # Unlike Varnish's built-in rule, a Cookie does not by itself mean "pass":
  # readers signed in get the same public pages as everyone (Dispatch's own
  # page cache shares them too). The cookie still reaches the app on a miss,
  # and what the app does not mark public is never stored (vcl_backend_response).
  return (hash);
}

sub vcl_hash {
  # The URL and host only (Varnish's default), never a cookie.
  hash_data(req.url);
  if (req.http.host) {
    hash_data(req.http.host);
  } else {
    hash_data(server.ip);
  }
  return (lookup);
}

sub vcl_backend_response {
  # Store only what Dispatch marked shareable. Varnish would otherwise keep a
  # response without Cache-Control for default_ttl (120 s).
  if (beresp.http.Set-Cookie
      || beresp.http.Cache-Control !~ "(^|[ ,])public([ ,]|$)"
      || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
      || beresp.http.Vary ~ "(?i)(cookie|authorization)") {
    set beresp.uncacheable = true;
    set beresp.ttl = 120s; # remembered as "not cacheable" (hit-for-miss), so readers do not queue for it
    return (deliver);
  }
  # beresp.ttl comes from s-maxage (before max-age), beresp.grace from
  # stale-while-revalidate; a public response without the latter still gets a little.
  if (beresp.http.Cache-Control !~ "stale-while-revalidate") {
    set beresp.grace = 30s;
  }
  # Kept a while longer for revalidation with If-None-Match (Dispatch sends ETags).
  set beresp.keep = 10m;
  # The browser gets the response's own max-age; s-maxage is for shared caches,
  # and the purge is this cache's to receive, not the browser's.
  return (deliver);
}

sub vcl_deliver {
  # Keys and purge bookkeeping are this cache's business, not the reader's.
  unset resp.http.xkey;
  unset resp.http.Surrogate-Key;
  unset resp.http.n-gone;
  if (obj.uncacheable) {
    set resp.http.X-Cache = "PASS";
  } else if (obj.hits > 0) {
    set resp.http.X-Cache = "HIT";
  } else {
    set resp.http.X-Cache = "MISS";
  }
}

sub vcl_synth {
  if (req.method == "PURGE") {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.body = resp.reason + {"
"};
    return (deliver);
  }
}
