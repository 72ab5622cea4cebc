# Ouvidor application image (worker and web server). tsx runs the TypeScript sources directly, so
# the dev dependencies are needed at runtime: install everything, not --omit=dev.
FROM node:24-slim

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --include=dev --no-audit --no-fund && npm cache clean --force

COPY . .

# DATA_DIR (attachments, mail bodies, generated secrets); a named volume is mounted here.
RUN mkdir -p /data && chown node:node /data

ENV NODE_ENV=production \
    DATA_DIR=/data \
    PORT=3000 \
    SMTP_PORT=2525

USER node
EXPOSE 3000 2525
VOLUME ["/data"]

# docker-compose.yml runs the worker from this image with `npm run worker`.
CMD ["npm", "run", "server"]
