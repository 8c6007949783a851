# Vardag in production: `docker compose up` with compose.yaml (PostgreSQL beside it).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1

RUN useradd --create-home --uid 10001 vardag
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY jobs ./jobs
COPY storage ./storage
RUN pip install . && rm -rf /root/.cache

USER vardag
# Webhook mode listens here (VARDAG_WEBHOOK_PORT); polling needs no port.
EXPOSE 8443
CMD ["vardag", "run"]
