# syntax=docker/dockerfile:1
# Production image: build (compile TypeScript, build the admin panel), then copy only the
# built app and production dependencies into a slim runtime that runs as a non-root user.
# Secrets come from the environment at run time; the app refuses to start without them.

ARG NODE_VERSION=24

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Toolchain for any native module without a prebuilt binary for this platform (better-sqlite3
# 13 ships Node-API prebuilds; this is the fallback).
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# Built without NODE_ENV=production on purpose: the production secret check must not run at
# build time, where no secrets exist. The admin bundle is minified either way.
RUN npm run build \
  && npm prune --omit=dev --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=1337 \
    STRAPI_TELEMETRY_DISABLED=true
WORKDIR /app
# tsconfig.json is how the Strapi CLI knows the app is TypeScript and runs dist/ (config, our
# migrations): without it `strapi start` looks for config/ in /app and dies.
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json /app/tsconfig.json /app/favicon.png ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/public ./public
COPY --from=build --chown=node:node /app/database ./database
# SQLite's default file lives in .tmp/ (use PostgreSQL via DATABASE_URL in production).
RUN mkdir -p /app/.tmp && chown node:node /app/.tmp
USER node
EXPOSE 1337
# Mount a volume here, or use an upload provider, so media outlive the container.
VOLUME ["/app/public/uploads"]
# Liveness: /_health answers while the process serves, without touching the database or Redis.
# Readiness (/_ready) is for the load balancer or orchestrator that routes traffic: as the
# HEALTHCHECK it would mark (and under Swarm, replace) every container whenever the database or
# Redis is down, which restarts nothing back to health and adds boot load to the outage.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||1337)+'/_health').then(r=>process.exit(r.status===204?0:1),()=>process.exit(1))"
CMD ["node", "node_modules/@strapi/strapi/bin/strapi.js", "start"]
