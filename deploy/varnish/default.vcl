# Varnish 7.1 in front of the hub (deploy/varnish/README.md): caches anonymous public reads by
# the app's own Cache-Control, tags them with the app's Surrogate-Key (xkey) and drops them when
# the app sends `PURGE` with `xkey-purge: <keys>` (CACHE_PURGE_URLS=http://varnish:6081/).
# The br/gzip/identity variants come from the app (with or without http_gzip_support).
vcl 4.1;

import xkey;

# The app, on this host. The test (tests/varnish/varnish.test.ts) rewrites host and port.
# compose.yaml mounts compose.vcl instead: this file with a director over its app services, each
# probed on `/_health` (`npm run vcl:compose` makes it). No health probe here: with one backend it
# would only turn a slow moment into 503s.
backend default {
    .host = "127.0.0.1";
    .port = "1337";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

# Who may send PURGE: the app's instances. Localhost only here (compose.vcl allows the compose
# network). When the app runs elsewhere, add its addresses or network, e.g. `"10.0.0.0"/8;` or
# `"strapi";` (a name is resolved once, when the VCL is compiled). client.ip is the TCP peer (or
# the PROXY protocol's client).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Our own markers, never taken from a client.
    unset req.http.X-Hub-Cache;
    unset req.http.X-Hub-Encoding;

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "PURGE not allowed from this address"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-purge header naming the surrogate keys"));
        }
        # A hard purge, not xkey.softpurge: the app promises that a read after a committed change
        # is fresh. A soft purge keeps the object for grace (stale-while-revalidate), so the
        # first read after a publish would still get the old answer.
        set req.http.X-Hub-Purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.X-Hub-Purged + " objects"));
    }

    # Only reads are cached; POST /graphql and every write go straight to the app.
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Per-user answers: partner tokens, API tokens, users, the admin's JWT.
    if (req.http.Authorization) {
        return (pass);
    }

    # GraphQL refuses a GET with a content type other than JSON (415), while the cached answer
    # is for the same URL without one: such a request goes to the app, which refuses it.
    if (req.url ~ "(?i)^/graphql(/|\?|$)" && req.http.Content-Type
        && req.http.Content-Type !~ "(?i)^\s*application/json\s*(;|$)") {
        return (pass);
    }

    # The admin, the editors' preview, partner and login endpoints and the probes: never cached.
    if (req.url ~ "^/(admin|preview|content-manager|content-type-builder|content-releases|review-workflows|upload|i18n|users-permissions|email)(/|\?|$)"
        || req.url ~ "^/api/(partner|auth|connect|users)(/|\?|$)"
        || req.url ~ "^/_(health|ready)(/|\?|$)") {
        return (pass);
    }

    # Public answers never depend on cookies (a site's analytics cookies must not defeat the
    # cache); elsewhere a cookie may mean a session, so those requests pass.
    if (req.url ~ "^/(api/|graphql(\?|$))") {
        unset req.http.Cookie;
    } elsif (req.http.Cookie) {
        return (pass);
    }

    # Few variants: br, gzip or identity, whatever the client's spelling. The choice is kept in
    # X-Hub-Encoding, hashed, and sent to the app as its Accept-Encoding (Varnish's own gzip
    # handling would otherwise rewrite it to gzip or nothing, and br would never reach a client).
    if (req.http.Accept-Encoding ~ "(?i)\bbr\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))") {
        set req.http.X-Hub-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "(?i)\bgzip\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))") {
        set req.http.X-Hub-Encoding = "gzip";
    } else {
        set req.http.X-Hub-Encoding = "identity";
    }
    set req.http.Accept-Encoding = req.http.X-Hub-Encoding;

    return (hash);
}

sub vcl_hash {
    hash_data(req.http.X-Hub-Encoding);
    # Then the built-in: URL and Host.
}

sub vcl_backend_fetch {
    if (bereq.http.X-Hub-Encoding) {
        if (bereq.http.X-Hub-Encoding == "identity") {
            unset bereq.http.Accept-Encoding;
        } else {
            set bereq.http.Accept-Encoding = bereq.http.X-Hub-Encoding;
        }
        unset bereq.http.X-Hub-Encoding;
    }
}

sub vcl_pass {
    set req.http.X-Hub-Cache = "PASS";
}

sub vcl_backend_response {
    if (bereq.uncacheable) {
        return (deliver);
    }
    # Cached only what the app marks public and tags with keys a purge can reach: errors,
    # uploads, private answers and anything else stay out (hit-for-miss, re-decided on the next
    # fetch). TTL and grace come from the app's Cache-Control as Varnish reads it: s-maxage
    # (else max-age) is the TTL, stale-while-revalidate the grace.
    if (beresp.status != 200
        || !beresp.http.Surrogate-Key
        || beresp.http.Cache-Control !~ "(?i)(^|,)\s*public\s*(,|$)"
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Set-Cookie
        || beresp.http.Vary == "*"
        || beresp.ttl <= 0s) {
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    set beresp.http.xkey = beresp.http.Surrogate-Key;
    # The encoding is already part of the hash (vcl_hash): Varnish need not vary on it again,
    # and must not (its own gzip handling rewrites Accept-Encoding on the way in). Clients and
    # caches further out still get the app's Vary (vcl_deliver).
    if (beresp.http.Vary) {
        set beresp.http.X-Hub-Vary = beresp.http.Vary;
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*Accept-Encoding\s*(?=,|$)", "");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^\s*,\s*", "");
        if (beresp.http.Vary ~ "^\s*$") {
            unset beresp.http.Vary;
        }
    }
    # After TTL and grace, keep the object a while to revalidate it with If-None-Match (the app
    # answers 304 when its ETag still matches).
    set beresp.keep = 10m;
    return (deliver);
}

sub vcl_deliver {
    if (resp.http.X-Hub-Vary) {
        set resp.http.Vary = resp.http.X-Hub-Vary;
        unset resp.http.X-Hub-Vary;
    }
    if (req.http.X-Hub-Cache == "PASS") {
        set resp.http.X-Cache = "PASS";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    set resp.http.X-Cache-Hits = obj.hits;
    # The keys are for caches, not for clients; `X-Cache-Debug: 1` shows them.
    if (!req.http.X-Cache-Debug) {
        unset resp.http.Surrogate-Key;
        unset resp.http.Cache-Tag;
        unset resp.http.xkey;
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        if (resp.status == 200) {
            set resp.http.X-Purged = req.http.X-Hub-Purged;
        }
        synthetic(resp.reason + {"
"});
        return (deliver);
    }
}
