<?xml version="1.0" encoding="utf-8"?>
<!-- oyez: shows an Atom or RSS feed opened in a browser as a page (issue 13).
     The feed names this file in its first lines; `[feeds] stylesheet = false`
     turns it off, and templates/feed.xsl in a catalogue replaces it. Each
     {{ strings.KEY }} is a string of the catalogue's language (issue 23). -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="atom:feed/atom:title | rss/channel/title"/>
    <xsl:variable name="self" select="atom:feed/atom:link[@rel='self']/@href | rss/channel/*[local-name()='link' and @rel='self']/@href"/>
    <xsl:variable name="home" select="atom:feed/atom:link[@rel='alternate']/@href | rss/channel/link"/>
    <html lang="{atom:feed/@xml:lang | rss/channel/language}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> {{ strings.view_suffix }}</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1d1d1f; }
          .about { background: #f2f5fa; border: 1px solid #d5deea; border-radius: 6px; padding: 0.8rem 1rem; }
          .about input { width: 100%; font: 0.9rem ui-monospace, monospace; padding: 0.3rem; box-sizing: border-box; }
          article { border-bottom: 1px solid #e3e3e3; padding: 0.8rem 0; }
          article h2 { font-size: 1.1rem; margin: 0; }
          time { color: #666; font-size: 0.9rem; }
          article .text { margin: 0.3rem 0 0; }
          .text .gap { display: block; height: 0.6rem; }
          .text .gap:last-child { display: none; }
        </style>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="$title"/></h1>
          <p><xsl:value-of select="atom:feed/atom:subtitle | rss/channel/description"/></p>
        </header>
        <section class="about">
          <p><strong>{{ strings.view_web_feed }}</strong> {{ strings.view_readers }}</p>
          <p>{{ strings.view_subscribe }}</p>
          <p><input type="text" readonly="readonly" value="{$self}"/></p>
          <p>{{ strings.view_read }} <a href="{$home}">{{ strings.view_page }}</a>.</p>
        </section>
        <main>
          <xsl:apply-templates select="atom:feed/atom:entry | rss/channel/item"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="atom:entry">
    <article>
      <h2><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a></h2>
      <time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time>
      <xsl:if test="atom:content">
        <div class="text"><xsl:call-template name="text"><xsl:with-param name="html" select="atom:content"/></xsl:call-template></div>
      </xsl:if>
    </article>
  </xsl:template>

  <xsl:template match="item">
    <article>
      <h2><a href="{link}"><xsl:value-of select="title"/></a></h2>
      <time><xsl:value-of select="substring(pubDate, 6, 11)"/></time>
      <xsl:if test="description">
        <div class="text"><xsl:call-template name="text"><xsl:with-param name="html" select="description"/></xsl:call-template></div>
      </xsl:if>
    </article>
  </xsl:template>

  <!-- The text of a summary's HTML, tags left out but for where a block
       ends: a paragraph, heading or list ends in a gap, a list item or a
       line break in a new line, so that a note of several paragraphs and
       the list of what an update announces read as such (issue 23). The HTML is split in
       two before a `<` (a tag's start, never inside a tag or an entity)
       near the middle, or nearer the start when the second half has none,
       so the recursion is as deep as the logarithm of the length, not the
       count of tags: libxslt stops at 3,000 nested calls (issue 20). -->
  <xsl:template name="text">
    <xsl:param name="html"/>
    <xsl:param name="at" select="floor(string-length($html) div 2)"/>
    <xsl:variable name="after" select="substring($html, $at + 1)"/>
    <xsl:choose>
      <xsl:when test="not(contains($html, '&lt;'))">
        <xsl:call-template name="entities"><xsl:with-param name="text" select="$html"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="$at &lt; 1">
        <!-- One tag, at the start: the break it makes, then the text after it. -->
        <xsl:variable name="tag" select="substring-before($html, '&gt;')"/>
        <xsl:choose>
          <xsl:when test="$tag = '&lt;/p' or $tag = '&lt;/ul' or $tag = '&lt;/ol' or $tag = '&lt;/blockquote' or $tag = '&lt;/pre' or (starts-with($tag, '&lt;/h') and string-length($tag) = 4)"><span class="gap"></span></xsl:when>
          <xsl:when test="$tag = '&lt;/li' or starts-with($tag, '&lt;br')"><br/></xsl:when>
        </xsl:choose>
        <xsl:call-template name="entities"><xsl:with-param name="text" select="substring-after($html, '&gt;')"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="contains($after, '&lt;')">
        <xsl:call-template name="text">
          <xsl:with-param name="html" select="concat(substring($html, 1, $at), substring-before($after, '&lt;'))"/>
        </xsl:call-template>
        <xsl:call-template name="text">
          <xsl:with-param name="html" select="concat('&lt;', substring-after($after, '&lt;'))"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="text">
          <xsl:with-param name="html" select="$html"/>
          <xsl:with-param name="at" select="floor($at div 2)"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The entities a sanitised summary writes, as characters; split in two
       before an `&` the same way, so one entity is read at a time. -->
  <xsl:template name="entities">
    <xsl:param name="text"/>
    <xsl:param name="at" select="floor(string-length($text) div 2)"/>
    <xsl:variable name="after" select="substring($text, $at + 1)"/>
    <xsl:choose>
      <xsl:when test="not(contains($text, '&amp;'))"><xsl:value-of select="$text"/></xsl:when>
      <xsl:when test="$at &lt; 1">
        <xsl:call-template name="entity"><xsl:with-param name="rest" select="substring($text, 2)"/></xsl:call-template>
      </xsl:when>
      <xsl:when test="contains($after, '&amp;')">
        <xsl:call-template name="entities">
          <xsl:with-param name="text" select="concat(substring($text, 1, $at), substring-before($after, '&amp;'))"/>
        </xsl:call-template>
        <xsl:call-template name="entities">
          <xsl:with-param name="text" select="concat('&amp;', substring-after($after, '&amp;'))"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="entities">
          <xsl:with-param name="text" select="$text"/>
          <xsl:with-param name="at" select="floor($at div 2)"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One entity (the text after its `&`, which holds no other) and the text after it. -->
  <xsl:template name="entity">
    <xsl:param name="rest"/>
    <xsl:choose>
      <xsl:when test="starts-with($rest, 'amp;')">&amp;<xsl:value-of select="substring($rest, 5)"/></xsl:when>
      <xsl:when test="starts-with($rest, 'lt;')">&lt;<xsl:value-of select="substring($rest, 4)"/></xsl:when>
      <xsl:when test="starts-with($rest, 'gt;')">&gt;<xsl:value-of select="substring($rest, 4)"/></xsl:when>
      <xsl:when test="starts-with($rest, 'quot;')">"<xsl:value-of select="substring($rest, 6)"/></xsl:when>
      <xsl:when test="starts-with($rest, '#39;')">'<xsl:value-of select="substring($rest, 5)"/></xsl:when>
      <xsl:when test="starts-with($rest, '#x27;')">'<xsl:value-of select="substring($rest, 6)"/></xsl:when>
      <xsl:otherwise>&amp;<xsl:value-of select="$rest"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
