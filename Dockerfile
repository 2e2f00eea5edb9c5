# The Ledgerline worker: prebuilt workflow bundle, production dependencies only.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# The worker's heap budget: with MAX_CACHED_WORKFLOWS and MAX_CONCURRENT_ACTIVITIES it bounds a
# worker's memory whatever the batch size (about 400 MB resident; npm run bench measures it).
ENV NODE_OPTIONS=--max-old-space-size=256
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
CMD ["node", "dist/workers/main.js"]
